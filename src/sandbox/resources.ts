// The routes the sandbox serves and their handlers: the REST index, the wc/v1, wc/v2, wc/v3 and
// wp/v2 namespace indexes, products (with batch; also on wc/v1 and wc/v2), orders, customers,
// system_status, settings (settings.ts) and /wp/v2/users/me.
// Permission callbacks follow WooCommerce's controllers (REFERENCE C.3): note that the item checks
// only refuse when the object exists (get_item_permissions_check: `$object && 0 !== $object->get_id()
// && ! wc_rest_check_post_permissions(…)`), so an unknown id answers 404 "Invalid ID." even without
// credentials, while an existing one answers 401 "Sorry, you cannot view this resource." (case 3).
import { MESSAGES, wpError, type WpError } from './errors';
import { PhpArray, phpBytesToText, phpParseStr, textToPhpBytes, type PhpValue } from './php-query';
import { authorizationRequiredCode, respond, type Params, type PermissionResult, type RestRequest, type RestResponse, type RestServer } from './rest-server';
import { validateValue, type ArgSchema } from './schema';
import { registerSettings } from './settings';
import { CATEGORIES, type OrderRecord, type ProductRecord } from './seed-data';
import { customerJson, effectivePrice, isOnSale, orderJson, productJson, type Shop } from './shop';
import type { SiteUrls } from './site';
import { findUserByEmail, findUserByLogin, ROLES, userCan, type Context, type ObjectType, type UserRecord } from './users';
import { trimBoth } from './text';

export const SITE_NAME = 'WooCommerce API Studio Sandbox';
export const SITE_DESCRIPTION = 'A local store that answers like WooCommerce 8.2.2';

const READABLE = ['GET'];
const CREATABLE = ['POST'];
const EDITABLE = ['POST', 'PUT', 'PATCH'];
const DELETABLE = ['DELETE'];

// ---------------------------------------------------------------------------------------------
// Shared argument schemas (WC_REST_Controller::get_collection_params and friends).

const contextArg: ArgSchema = { description: 'Scope under which the request is made; determines fields present in response.', type: 'string', enum: ['view', 'edit'], default: 'view' };
const collectionArgs = (orderby: string[], orderDefault: 'asc' | 'desc', orderbyDefault: string): Record<string, ArgSchema> => ({
  context: contextArg,
  page: { description: 'Current page of the collection.', type: 'integer', default: 1, minimum: 1 },
  per_page: { description: 'Maximum number of items to be returned in result set.', type: 'integer', default: 10, minimum: 1, maximum: 100 },
  search: { description: 'Limit results to those matching a string.', type: 'string' },
  exclude: { description: 'Ensure result set excludes specific IDs.', type: 'array', items: { type: 'integer' }, default: [] },
  include: { description: 'Limit result set to specific ids.', type: 'array', items: { type: 'integer' }, default: [] },
  offset: { description: 'Offset the result set by a specific number of items.', type: 'integer' },
  order: { description: 'Order sort attribute ascending or descending.', type: 'string', default: orderDefault, enum: ['asc', 'desc'] },
  orderby: { description: 'Sort collection by object attribute.', type: 'string', default: orderbyDefault, enum: orderby },
});

const PRODUCT_TYPES = ['simple', 'grouped', 'external', 'variable'] as const;
const POST_STATUSES = ['draft', 'pending', 'private', 'publish', 'future'] as const;
const STOCK_STATUSES = ['instock', 'outofstock', 'onbackorder'] as const;
const ORDER_STATUSES = ['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft'] as const;

const addressSchema = (withEmail: boolean): ArgSchema => ({
  type: 'object',
  properties: {
    first_name: { type: 'string' },
    last_name: { type: 'string' },
    company: { type: 'string' },
    address_1: { type: 'string' },
    address_2: { type: 'string' },
    city: { type: 'string' },
    state: { type: 'string' },
    postcode: { type: 'string' },
    country: { type: 'string' },
    ...(withEmail ? { email: { type: ['string', 'null'], format: 'email' } as ArgSchema } : {}),
    phone: { type: 'string' },
  },
});

const metaDataSchema: ArgSchema = { type: 'array', items: { type: 'object', properties: { key: { type: 'string' }, value: { type: ['string', 'integer', 'number', 'boolean', 'array', 'object', 'null'] } } } };

/** The writable product fields (get_endpoint_args_for_item_schema( CREATABLE )). */
const PRODUCT_ARGS: Record<string, ArgSchema> = {
  name: { description: 'Product name.', type: 'string' },
  slug: { description: 'Product slug.', type: 'string' },
  type: { description: 'Product type.', type: 'string', default: 'simple', enum: PRODUCT_TYPES },
  status: { description: 'Product status (post status).', type: 'string', default: 'publish', enum: POST_STATUSES },
  featured: { description: 'Featured product.', type: 'boolean', default: false },
  catalog_visibility: { description: 'Catalog visibility.', type: 'string', default: 'visible', enum: ['visible', 'catalog', 'search', 'hidden'] },
  description: { description: 'Product description.', type: 'string' },
  short_description: { description: 'Product short description.', type: 'string' },
  sku: { description: 'Unique identifier.', type: 'string' },
  regular_price: { description: 'Product regular price.', type: 'string' },
  sale_price: { description: 'Product sale price.', type: 'string' },
  virtual: { description: 'If the product is virtual.', type: 'boolean', default: false },
  downloadable: { description: 'If the product is downloadable.', type: 'boolean', default: false },
  external_url: { description: 'Product external URL. Only for external products.', type: 'string', format: 'uri' },
  button_text: { description: 'Product external button text. Only for external products.', type: 'string' },
  tax_status: { description: 'Tax status.', type: 'string', default: 'taxable', enum: ['taxable', 'shipping', 'none'] },
  tax_class: { description: 'Tax class.', type: 'string' },
  manage_stock: { description: 'Stock management at product level.', type: 'boolean', default: false },
  stock_quantity: { description: 'Stock quantity.', type: 'integer' },
  stock_status: { description: 'Controls the stock status of the product.', type: 'string', default: 'instock', enum: STOCK_STATUSES },
  backorders: { description: 'If managing stock, this controls if backorders are allowed.', type: 'string', default: 'no', enum: ['no', 'notify', 'yes'] },
  weight: { description: 'Product weight.', type: 'string' },
  dimensions: { description: 'Product dimensions.', type: 'object', properties: { length: { type: 'string' }, width: { type: 'string' }, height: { type: 'string' } } },
  shipping_class: { description: 'Shipping class slug.', type: 'string' },
  reviews_allowed: { description: 'Allow reviews.', type: 'boolean', default: true },
  parent_id: { description: 'Product parent ID.', type: 'integer' },
  purchase_note: { description: 'Optional note to send the customer after purchase.', type: 'string' },
  categories: { description: 'List of categories.', type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } },
  images: { description: 'List of images.', type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, src: { type: 'string', format: 'uri' }, name: { type: 'string' }, alt: { type: 'string' } } } },
  menu_order: { description: 'Menu order, used to custom sort products.', type: 'integer' },
  meta_data: metaDataSchema,
};

const ORDER_ARGS: Record<string, ArgSchema> = {
  parent_id: { description: 'Parent order ID.', type: 'integer' },
  status: { description: 'Order status.', type: 'string', default: 'pending', enum: ORDER_STATUSES },
  currency: { description: 'Currency the order was created with, in ISO format.', type: 'string', default: 'USD', enum: ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'JPY'] },
  customer_id: { description: 'User ID who owns the order. 0 for guests.', type: 'integer', default: 0 },
  customer_note: { description: 'Note left by customer during checkout.', type: 'string' },
  billing: { description: 'Billing address.', ...addressSchema(true) },
  shipping: { description: 'Shipping address.', ...addressSchema(false) },
  payment_method: { description: 'Payment method ID.', type: 'string' },
  payment_method_title: { description: 'Payment method title.', type: 'string' },
  transaction_id: { description: 'Unique transaction ID.', type: 'string' },
  meta_data: metaDataSchema,
  line_items: { description: 'Line items data.', type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, product_id: { type: 'integer' }, quantity: { type: 'integer' }, sku: { type: 'string' } } } },
  shipping_lines: { description: 'Shipping lines data.', type: 'array', items: { type: 'object', properties: { method_id: { type: 'string' }, method_title: { type: 'string' }, total: { type: 'string' } } } },
  set_paid: { description: 'Define if the order is paid. It will set the status to processing and reduce stock items.', type: 'boolean', default: false },
};

const CUSTOMER_ARGS: Record<string, ArgSchema> = {
  email: { description: 'The email address for the customer.', type: 'string', format: 'email' },
  first_name: { description: 'Customer first name.', type: 'string' },
  last_name: { description: 'Customer last name.', type: 'string' },
  username: { description: 'Customer login name.', type: 'string' },
  password: { description: 'Customer password.', type: 'string' },
  billing: { description: 'List of billing address data.', ...addressSchema(true) },
  shipping: { description: 'List of shipping address data.', ...addressSchema(false) },
  meta_data: metaDataSchema,
};

/** The writable args without their defaults: an update must not reset fields it did not name. */
const withoutDefaults = (args: Record<string, ArgSchema>): Record<string, ArgSchema> =>
  Object.fromEntries(Object.entries(args).map(([k, v]) => {
    const { default: _unused, ...rest } = v;
    void _unused;
    return [k, rest];
  }));

// ---------------------------------------------------------------------------------------------
// Helpers

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const int = (v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : 0;
};
const has = (p: Params, k: string): boolean => p[k] !== undefined && p[k] !== null;

/** PHP urlencode(): everything but A-Z a-z 0-9 _ . - as %XX, space as '+'. */
function phpUrlencode(bytes: string): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i) & 0xff;
    const ch = String.fromCharCode(c);
    if (/[A-Za-z0-9_.-]/.test(ch)) out += ch;
    else if (ch === ' ') out += '+';
    else out += '%' + c.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** urlencode_deep(). */
function urlencodeDeep(value: PhpValue): PhpValue {
  if (typeof value === 'string') return phpUrlencode(value);
  const out = new PhpArray();
  for (const [k, v] of value.entries()) out.set(k, urlencodeDeep(v));
  return out;
}

/** build_query() = _http_build_query( $data, null, '&', '', false ): nothing encoded but the brackets. */
function buildQuery(array: PhpArray, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of array.entries()) {
    const key = prefix ? `${prefix}%5B${k}%5D` : k;
    if (typeof v === 'string') out.push(`${key}=${v}`);
    else out.push(...buildQuery(v, key));
  }
  return out;
}

/**
 * add_query_arg( $args, $url ): the URL's own query is parsed and re-urlencoded, the new args are
 * added as they are (not encoded), "=" of empty values is dropped. Strings are PHP bytes.
 */
function addQueryArgs(url: string, args: PhpArray): string {
  const q = url.indexOf('?');
  const base = q === -1 ? url : url.slice(0, q);
  const existing = phpParseStr(q === -1 ? '' : url.slice(q + 1));
  const qs = new PhpArray();
  for (const [k, v] of existing.entries()) qs.set(k, urlencodeDeep(v));
  for (const [k, v] of args.entries()) qs.set(k, v);
  const query = trimBoth(buildQuery(qs).join('&'), '?').replace(/=(&|$)/g, '$1');
  return query ? `${base}?${query}` : base;
}

/**
 * The prev/next URL exactly as WooCommerce builds it:
 *   $base = add_query_arg( $request->get_query_params(), rest_url( '/wc/v3/products' ) );
 *   add_query_arg( 'page', N, $base );
 * The second call re-parses the first one's raw values, so they end up urlencode()d once (and a
 * value holding "+" or "&" comes back altered, as it does from WordPress).
 */
export function pageLink(site: SiteUrls, route: string, rawQuery: PhpArray, page: number): string {
  const first = addQueryArgs(textToPhpBytes(site.rest(route)), rawQuery);
  return phpBytesToText(addQueryArgs(first, PhpArray.fromEntries([['page', String(page)]])));
}

/** WC_REST_CRUD_Controller::get_items(): one page, X-WP-Total, X-WP-TotalPages, Link prev/next. */
function collection<T>(req: RestRequest, route: string, all: T[], toJson: (item: T) => unknown): RestResponse {
  const perPage = int(req.params.per_page) || 10;
  const page = int(req.params.page) || 1;
  const offset = has(req.params, 'offset') ? Math.max(0, int(req.params.offset)) : (page - 1) * perPage;
  const items = all.slice(offset, offset + perPage);
  const maxPages = Math.ceil(all.length / perPage);
  const headers: Record<string, string> = { 'X-WP-Total': String(all.length), 'X-WP-TotalPages': String(maxPages) };
  const links: string[] = [];
  if (page > 1) links.push(`<${pageLink(req.site, route, req.rawQuery, Math.min(page - 1, maxPages))}>; rel="prev"`);
  if (maxPages > page) links.push(`<${pageLink(req.site, route, req.rawQuery, page + 1)}>; rel="next"`);
  // WP_REST_Server::send_header() uses header() with replace, so these replace the api.w.org Link.
  if (links.length > 0) headers.Link = links.join(', ');
  return respond(items.map(toJson), 200, headers);
}

function sortBy<T>(items: T[], key: (t: T) => string | number, order: unknown, tie: (t: T) => number): T[] {
  const dir = order === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const c = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
    return c !== 0 ? c * dir : (tie(a) - tie(b)) * dir;
  });
}

function idList(v: unknown): number[] {
  return Array.isArray(v) ? v.map(int).filter((n) => n > 0) : [];
}

const matches = (needle: unknown, ...haystacks: string[]): boolean => {
  if (typeof needle !== 'string' || needle === '') return true;
  const n = needle.toLowerCase();
  return haystacks.some((h) => h.toLowerCase().includes(n));
};

/** A permission callback for WooCommerce's check helpers: 401/403 by rest_authorization_required_code(). */
function permission(type: ObjectType, context: Context, code: string, message: string, target?: (req: RestRequest) => UserRecord | undefined) {
  return (req: RestRequest): PermissionResult => (userCan(req.user, type, context, target?.(req)) ? true : wpError(code, message, authorizationRequiredCode(req)));
}

/** get_item/update_item/delete_item_permissions_check of WC_REST_CRUD_Controller: only existing objects are checked. */
function itemPermission(exists: (id: number) => boolean, type: ObjectType, context: Context, code: string, message: string) {
  return (req: RestRequest): PermissionResult => {
    const id = int(req.params.id);
    if (!exists(id)) return true;
    return userCan(req.user, type, context) ? true : wpError(code, message, authorizationRequiredCode(req));
  };
}

// ---------------------------------------------------------------------------------------------
// Products

function productFromParams(shop: Shop, p: Params, existing?: ProductRecord): ProductRecord | WpError {
  const now = shop.now();
  const base: ProductRecord = existing
    ? { ...existing }
    : {
        id: shop.newPostId(), name: '', slug: '', type: 'simple', status: 'publish', featured: false, catalog_visibility: 'visible', description: '', short_description: '', sku: '',
        regular_price: '', sale_price: '', date_created: now, date_modified: now, total_sales: 0, virtual: false, downloadable: false, external_url: '', button_text: '',
        tax_status: 'taxable', tax_class: '', manage_stock: false, stock_quantity: null, stock_status: 'instock', backorders: 'no', weight: '', dimensions: { length: '', width: '', height: '' },
        shipping_class: '', reviews_allowed: true, average_rating: '0.00', rating_count: 0, parent_id: 0, purchase_note: '', categoryIds: [15], tags: [], images: [], menu_order: 0, meta_data: [],
      };
  const strings = ['name', 'description', 'short_description', 'regular_price', 'sale_price', 'external_url', 'button_text', 'tax_class', 'weight', 'shipping_class', 'purchase_note'] as const;
  for (const k of strings) if (has(p, k)) (base[k] as string) = str(p[k]) ?? '';
  if (has(p, 'sku')) {
    const sku = str(p.sku) ?? '';
    // WooCommerce refuses a SKU another product already has.
    const clash = sku !== '' && [...shop.products.values()].some((o) => o.id !== base.id && o.sku === sku && o.status !== 'trash');
    if (clash) return wpError('product_invalid_sku', 'Invalid or duplicated SKU.', 400, { resource_id: existing?.id ?? 0, unique_sku: sku });
    base.sku = sku;
  }
  if (has(p, 'type')) base.type = p.type as ProductRecord['type'];
  if (has(p, 'status')) base.status = p.status as ProductRecord['status'];
  if (has(p, 'catalog_visibility')) base.catalog_visibility = p.catalog_visibility as ProductRecord['catalog_visibility'];
  if (has(p, 'tax_status')) base.tax_status = p.tax_status as ProductRecord['tax_status'];
  if (has(p, 'backorders')) base.backorders = p.backorders as ProductRecord['backorders'];
  for (const k of ['featured', 'virtual', 'downloadable', 'manage_stock', 'reviews_allowed'] as const) if (has(p, k)) base[k] = p[k] === true;
  if (has(p, 'parent_id')) base.parent_id = int(p.parent_id);
  if (has(p, 'menu_order')) base.menu_order = int(p.menu_order);
  if (has(p, 'stock_quantity')) base.stock_quantity = int(p.stock_quantity);
  if (has(p, 'dimensions') && typeof p.dimensions === 'object') base.dimensions = { ...base.dimensions, ...(p.dimensions as Record<string, string>) };
  if (has(p, 'slug')) base.slug = str(p.slug) ?? '';
  if (!base.slug) base.slug = (base.name || `product-${base.id}`).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || String(base.id);
  if (Array.isArray(p.categories)) base.categoryIds = (p.categories as Record<string, unknown>[]).map((c) => int(c?.id)).filter((id) => CATEGORIES.some((c) => c.id === id));
  if (Array.isArray(p.images)) {
    base.images = (p.images as Record<string, unknown>[]).map((img, i) => ({ id: int(img?.id) || 1000 + base.id * 10 + i, src: str(img?.src) ?? '', name: str(img?.name) ?? '', alt: str(img?.alt) ?? '' }));
  }
  if (Array.isArray(p.meta_data)) {
    base.meta_data = (p.meta_data as Record<string, unknown>[]).map((m, i) => ({ id: base.id * 100 + i, key: str(m?.key) ?? '', value: m?.value ?? '' }));
  }
  // Stock status follows the quantity when stock is managed (WC_Product_Data_Store validate_props).
  if (base.manage_stock && base.stock_quantity !== null) {
    base.stock_status = base.stock_quantity > 0 ? 'instock' : base.backorders !== 'no' ? 'onbackorder' : 'outofstock';
  } else if (has(p, 'stock_status')) {
    base.stock_status = p.stock_status as ProductRecord['stock_status'];
  }
  if (!base.manage_stock) base.stock_quantity = null;
  base.date_modified = now;
  return base;
}

function registerProducts(server: RestServer, shop: Shop): void {
  const exists = (id: number): boolean => shop.products.has(id);
  const invalidId = (status: number): WpError => wpError('woocommerce_rest_product_invalid_id', MESSAGES_INVALID_ID, status);

  const list = (req: RestRequest): RestResponse => {
    const p = req.params;
    let items = [...shop.products.values()];
    const status = p.status ?? 'any';
    items = items.filter((x) => (status === 'any' ? x.status !== 'trash' : x.status === status));
    const include = idList(p.include);
    const exclude = idList(p.exclude);
    if (include.length) items = items.filter((x) => include.includes(x.id));
    if (exclude.length) items = items.filter((x) => !exclude.includes(x.id));
    items = items.filter((x) => matches(p.search, x.name, x.description, x.short_description));
    if (has(p, 'type')) items = items.filter((x) => x.type === p.type);
    if (has(p, 'sku')) {
      const skus = String(p.sku).split(',').map((s) => s.trim());
      items = items.filter((x) => skus.includes(x.sku));
    }
    if (has(p, 'slug')) items = items.filter((x) => x.slug === p.slug);
    if (has(p, 'featured')) items = items.filter((x) => x.featured === p.featured);
    if (has(p, 'on_sale')) items = items.filter((x) => isOnSale(x) === p.on_sale);
    if (has(p, 'stock_status')) items = items.filter((x) => x.stock_status === p.stock_status);
    if (has(p, 'category')) {
      const ids = String(p.category).split(',').map(Number);
      items = items.filter((x) => x.categoryIds.some((c) => ids.includes(c)));
    }
    if (has(p, 'min_price')) items = items.filter((x) => effectivePrice(x) !== '' && Number(effectivePrice(x)) >= Number(p.min_price));
    if (has(p, 'max_price')) items = items.filter((x) => effectivePrice(x) !== '' && Number(effectivePrice(x)) <= Number(p.max_price));
    const keys: Record<string, (x: ProductRecord) => string | number> = {
      date: (x) => x.date_created,
      modified: (x) => x.date_modified,
      id: (x) => x.id,
      title: (x) => x.name.toLowerCase(),
      slug: (x) => x.slug,
      menu_order: (x) => x.menu_order,
      price: (x) => Number(effectivePrice(x) || 0),
      popularity: (x) => x.total_sales,
      rating: (x) => Number(x.average_rating),
      include: (x) => include.indexOf(x.id),
    };
    items = sortBy(items, keys[String(p.orderby)] ?? keys.date!, p.order, (x) => x.id);
    // The namespace the request used (wc/v1 and wc/v2 serve the same products).
    return collection(req, req.route.toLowerCase(), items, (x) => productJson(x, req.site));
  };

  const create = (req: RestRequest): RestResponse | WpError => {
    if (int(req.params.id) > 0) return wpError('woocommerce_rest_product_exists', 'Cannot create existing product.', 400);
    const product = productFromParams(shop, req.params);
    if ('code' in product) return product;
    shop.products.set(product.id, product);
    // WP_REST_Response with 201 and a Location of the new item (cases 17, 28).
    return respond(productJson(product, req.site), 201, { Location: req.site.rest(`/wc/v3/products/${product.id}`) });
  };

  const get = (req: RestRequest): RestResponse | WpError => {
    const product = shop.products.get(int(req.params.id));
    return product ? respond(productJson(product, req.site)) : invalidId(404);
  };

  const update = (req: RestRequest): RestResponse | WpError => {
    const current = shop.products.get(int(req.params.id));
    if (!current) return invalidId(400);
    const product = productFromParams(shop, req.params, current);
    if ('code' in product) return product;
    shop.products.set(product.id, product);
    return respond(productJson(product, req.site));
  };

  const remove = (req: RestRequest): RestResponse | WpError => {
    const product = shop.products.get(int(req.params.id));
    if (!product) return invalidId(404);
    const before = productJson(product, req.site); // prepared before deleting, like WooCommerce
    if (req.params.force === true) {
      shop.products.delete(product.id);
    } else {
      if (product.status === 'trash') return wpError('woocommerce_rest_already_trashed', 'The product has already been deleted.', 410);
      product.status = 'trash';
    }
    return respond(before);
  };

  const batch = (req: RestRequest): RestResponse | WpError => {
    const p = req.params;
    const creates = Array.isArray(p.create) ? p.create : [];
    const updates = Array.isArray(p.update) ? p.update : [];
    const deletes = Array.isArray(p.delete) ? p.delete : [];
    if (creates.length + updates.length + deletes.length > 100) {
      return wpError('woocommerce_rest_request_entity_too_large', 'Unable to accept more than 100 items for this request.', 413);
    }
    const itemError = (id: number, e: WpError): Record<string, unknown> => ({ id, error: { code: e.code, message: e.message, data: e.data } });
    const out: Record<string, unknown[]> = {};
    const asParams = (item: unknown): Params | undefined => (item && typeof item === 'object' && !Array.isArray(item) ? (item as Params) : undefined);
    if (p.create !== undefined) {
      out.create = creates.map((item) => {
        const params = asParams(item);
        if (!params) return itemError(0, wpError('rest_invalid_param', 'Invalid parameter(s): create', 400));
        const invalid = validateItem(params, PRODUCT_ARGS);
        if (invalid) return itemError(0, invalid);
        const product = productFromParams(shop, withDefaults(params, PRODUCT_ARGS));
        if ('code' in product) return itemError(0, product);
        shop.products.set(product.id, product);
        return productJson(product, req.site);
      });
    }
    if (p.update !== undefined) {
      out.update = updates.map((item) => {
        const params = asParams(item);
        const id = int(params?.id);
        const current = shop.products.get(id);
        if (!params || !current) return itemError(id, invalidId(400));
        const invalid = validateItem(params, PRODUCT_ARGS);
        if (invalid) return itemError(id, invalid);
        const product = productFromParams(shop, params, current);
        if ('code' in product) return itemError(id, product);
        shop.products.set(id, product);
        return productJson(product, req.site);
      });
    }
    if (p.delete !== undefined) {
      out.delete = deletes.map((raw) => {
        const id = int(raw);
        const product = shop.products.get(id);
        if (!product) return itemError(id, invalidId(404));
        const before = productJson(product, req.site);
        shop.products.delete(id);
        return before;
      });
    }
    return respond(out);
  };

  const productCollectionArgs: Record<string, ArgSchema> = {
    ...collectionArgs(['date', 'id', 'include', 'title', 'slug', 'modified', 'menu_order', 'price', 'popularity', 'rating'], 'desc', 'date'),
    slug: { description: 'Limit result set to products with a specific slug.', type: 'string' },
    status: { description: 'Limit result set to products assigned a specific status.', type: 'string', default: 'any', enum: ['any', 'future', 'trash', ...POST_STATUSES] },
    type: { description: 'Limit result set to products assigned a specific type.', type: 'string', enum: PRODUCT_TYPES },
    sku: { description: 'Limit result set to products with specific SKU(s). Use commas to separate.', type: 'string' },
    featured: { description: 'Limit result set to featured products.', type: 'boolean' },
    category: { description: 'Limit result set to products assigned a specific category ID.', type: 'string' },
    on_sale: { description: 'Limit result set to products on sale.', type: 'boolean' },
    min_price: { description: 'Limit result set to products based on a minimum price.', type: 'string' },
    max_price: { description: 'Limit result set to products based on a maximum price.', type: 'string' },
    stock_status: { description: 'Limit result set to products with specified stock status.', type: 'string', enum: STOCK_STATUSES },
  };
  const idArg: ArgSchema = { description: 'Unique identifier for the resource.', type: 'integer' };

  server.register({
    path: '/wc/v3/products',
    namespace: 'wc/v3',
    schema: () => itemSchema('product', PRODUCT_ARGS),
    endpoints: [
      { methods: READABLE, args: productCollectionArgs, permission: permission('product', 'read', 'woocommerce_rest_cannot_view', MESSAGES.cannotList), callback: list },
      { methods: CREATABLE, args: PRODUCT_ARGS, permission: permission('product', 'create', 'woocommerce_rest_cannot_create', MESSAGES.cannotCreate), callback: create },
    ],
  });
  server.register({
    path: '/wc/v3/products/(?P<id>[\\d]+)',
    namespace: 'wc/v3',
    schema: () => itemSchema('product', PRODUCT_ARGS),
    endpoints: [
      { methods: READABLE, args: { id: idArg, context: contextArg }, permission: itemPermission(exists, 'product', 'read', 'woocommerce_rest_cannot_view', MESSAGES.cannotView), callback: get },
      { methods: EDITABLE, args: { id: idArg, ...withoutDefaults(PRODUCT_ARGS) }, permission: itemPermission(exists, 'product', 'edit', 'woocommerce_rest_cannot_edit', MESSAGES.cannotEdit), callback: update },
      {
        methods: DELETABLE,
        args: { id: idArg, force: { description: 'Whether to bypass trash and force deletion.', type: 'boolean', default: false } },
        permission: itemPermission(exists, 'product', 'delete', 'woocommerce_rest_cannot_delete', MESSAGES.cannotDelete),
        callback: remove,
      },
    ],
  });
  // The older namespaces WooCommerce still serves (the recorded store answered 200 on both): the
  // same products through the v1 and v2 controllers, whose permission checks are the same.
  for (const namespace of ['wc/v2', 'wc/v1']) {
    server.register({
      path: `/${namespace}/products`,
      namespace,
      schema: () => itemSchema('product', PRODUCT_ARGS),
      endpoints: [
        { methods: READABLE, args: productCollectionArgs, permission: permission('product', 'read', 'woocommerce_rest_cannot_view', MESSAGES.cannotList), callback: list },
        { methods: CREATABLE, args: PRODUCT_ARGS, permission: permission('product', 'create', 'woocommerce_rest_cannot_create', MESSAGES.cannotCreate), callback: create },
      ],
    });
    server.register({
      path: `/${namespace}/products/(?P<id>[\\d]+)`,
      namespace,
      schema: () => itemSchema('product', PRODUCT_ARGS),
      endpoints: [
        { methods: READABLE, args: { id: idArg, context: contextArg }, permission: itemPermission(exists, 'product', 'read', 'woocommerce_rest_cannot_view', MESSAGES.cannotView), callback: get },
        { methods: EDITABLE, args: { id: idArg, ...withoutDefaults(PRODUCT_ARGS) }, permission: itemPermission(exists, 'product', 'edit', 'woocommerce_rest_cannot_edit', MESSAGES.cannotEdit), callback: update },
      ],
    });
  }
  server.register({
    path: '/wc/v3/products/batch',
    namespace: 'wc/v3',
    endpoints: [
      {
        methods: EDITABLE,
        args: {
          create: { description: 'List of created resources.', type: 'array', items: { type: 'object' } },
          update: { description: 'List of updated resources.', type: 'array', items: { type: 'object' } },
          delete: { description: 'List of delete resources.', type: 'array', items: { type: 'integer' } },
        },
        permission: permission('product', 'batch', 'woocommerce_rest_cannot_batch', MESSAGES.cannotBatch),
        callback: batch,
      },
    ],
  });
  server.register({
    path: '/wc/v3/products/categories',
    namespace: 'wc/v3',
    endpoints: [
      {
        methods: READABLE,
        args: collectionArgs(['id', 'include', 'name', 'slug', 'term_group', 'description', 'count'], 'asc', 'name'),
        // wc_rest_check_product_term_permissions( 'product_cat', 'read' ): manage_product_terms.
        permission: permission('product_term', 'read', 'woocommerce_rest_cannot_view', MESSAGES.cannotList),
        callback: (req) => {
          const all = CATEGORIES.filter((c) => matches(req.params.search, c.name)).map((c) => ({ ...c, count: [...shop.products.values()].filter((p) => p.status !== 'trash' && p.categoryIds.includes(c.id)).length }));
          const sorted = sortBy(all, (c) => (req.params.orderby === 'id' ? c.id : req.params.orderby === 'count' ? c.count : c.name.toLowerCase()), req.params.order, (c) => c.id);
          return collection(req, '/wc/v3/products/categories', sorted, (c) => ({
            id: c.id, name: c.name, slug: c.slug, parent: 0, description: '', display: 'default', image: null, menu_order: 0, count: c.count,
            _links: { self: [{ href: req.site.rest(`/wc/v3/products/categories/${c.id}`) }], collection: [{ href: req.site.rest('/wc/v3/products/categories') }] },
          }));
        },
      },
    ],
  });
}

const MESSAGES_INVALID_ID = 'Invalid ID.';

/** Defaults of the create args, for batch items (set_default_params). */
function withDefaults(params: Params, args: Record<string, ArgSchema>): Params {
  const out: Params = {};
  for (const [k, a] of Object.entries(args)) if (a.default !== undefined) out[k] = a.default;
  return { ...out, ...params };
}

/** Validates one batch item like rest_validate_request_arg would, into a rest_invalid_param error. */
function validateItem(params: Params, args: Record<string, ArgSchema>): WpError | undefined {
  const invalid: Record<string, string> = {};
  const details: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(args)) {
    if (params[name] === undefined || params[name] === null) continue;
    const error = validateValue(params[name], schema, name);
    if (error) {
      invalid[name] = error.message;
      details[name] = { code: error.code, message: error.message, data: error.data };
    }
  }
  if (Object.keys(invalid).length === 0) {
    for (const [name, schema] of Object.entries(args)) {
      if (schema.type === 'boolean' && typeof params[name] === 'string') params[name] = !['false', '0', ''].includes((params[name] as string).toLowerCase());
    }
    return undefined;
  }
  return wpError('rest_invalid_param', `Invalid parameter(s): ${Object.keys(invalid).join(', ')}`, 400, { params: invalid, details });
}

/** The item schema shown on OPTIONS requests (trimmed to the writable properties). */
function itemSchema(title: string, args: Record<string, ArgSchema>): object {
  const properties: Record<string, unknown> = { id: { description: 'Unique identifier for the resource.', type: 'integer', context: ['view', 'edit'], readonly: true } };
  for (const [k, a] of Object.entries(args)) properties[k] = { ...a, context: ['view', 'edit'] };
  return { $schema: 'http://json-schema.org/draft-04/schema#', title, type: 'object', properties };
}

// ---------------------------------------------------------------------------------------------
// Orders

function orderFromParams(shop: Shop, p: Params, existing?: OrderRecord): OrderRecord | WpError {
  const now = shop.now();
  const order: OrderRecord = existing
    ? { ...existing, line_items: existing.line_items.map((li) => ({ ...li })) }
    : {
        id: 0, status: 'pending', currency: 'USD', customer_id: 0,
        billing: { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '', email: '', phone: '' },
        shipping: { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '', phone: '' },
        payment_method: '', payment_method_title: '', transaction_id: '', customer_note: '', date_created: now, date_modified: now, date_paid: null, date_completed: null,
        line_items: [], shipping_total: '0.00', order_key: `wc_order_${Math.random().toString(36).slice(2, 15)}`, created_via: 'rest-api', meta_data: [],
      };
  if (has(p, 'customer_id')) {
    const id = int(p.customer_id);
    if (id !== 0 && !shop.user(id)) return wpError('woocommerce_rest_invalid_customer_id', 'Customer ID is invalid.', 400);
    order.customer_id = id;
  }
  if (has(p, 'status')) order.status = p.status as OrderRecord['status'];
  if (has(p, 'currency')) order.currency = String(p.currency);
  for (const k of ['customer_note', 'payment_method', 'payment_method_title', 'transaction_id'] as const) if (has(p, k)) order[k] = str(p[k]) ?? '';
  if (p.billing && typeof p.billing === 'object') order.billing = { ...order.billing, ...(p.billing as Record<string, string>) };
  if (p.shipping && typeof p.shipping === 'object') order.shipping = { ...order.shipping, ...(p.shipping as Record<string, string>) };
  if (Array.isArray(p.line_items)) {
    for (const raw of p.line_items as Record<string, unknown>[]) {
      const itemId = int(raw?.id);
      const existingItem = itemId ? order.line_items.find((li) => li.id === itemId) : undefined;
      if (existingItem) {
        if (has(raw, 'quantity')) existingItem.quantity = int(raw.quantity);
        continue;
      }
      let productId = int(raw?.product_id);
      if (!productId && typeof raw?.sku === 'string') productId = [...shop.products.values()].find((x) => x.sku === raw.sku)?.id ?? 0;
      if (!productId) return wpError('woocommerce_rest_required_product_reference', 'Product ID or SKU is required.', 400);
      const product = shop.products.get(productId);
      if (!product || product.status === 'trash') return wpError('woocommerce_rest_invalid_product_id', 'Product ID provided does not match this product.', 400);
      order.line_items.push({ id: shop.newItemId(), product_id: product.id, name: product.name, sku: product.sku, quantity: Math.max(1, int(raw.quantity) || 1), price: Number(effectivePrice(product) || 0) });
    }
    order.line_items = order.line_items.filter((li) => li.quantity > 0);
  }
  if (Array.isArray(p.shipping_lines)) {
    const total = (p.shipping_lines as Record<string, unknown>[]).reduce((sum, l) => sum + Number(str(l?.total) ?? 0), 0);
    order.shipping_total = total.toFixed(2);
  }
  if (Array.isArray(p.meta_data)) order.meta_data = (p.meta_data as Record<string, unknown>[]).map((m, i) => ({ id: 5000 + i, key: str(m?.key) ?? '', value: m?.value ?? '' }));
  if (p.set_paid === true) {
    order.date_paid = now;
    if (order.status === 'pending') order.status = 'processing';
  }
  if (order.status === 'completed' && !order.date_completed) order.date_completed = now;
  order.date_modified = now;
  if (!existing) order.id = shop.newPostId();
  return order;
}

function registerOrders(server: RestServer, shop: Shop): void {
  const exists = (id: number): boolean => shop.orders.has(id);
  const invalidId = (status: number): WpError => wpError('woocommerce_rest_shop_order_invalid_id', MESSAGES_INVALID_ID, status);
  const idArg: ArgSchema = { description: 'Unique identifier for the resource.', type: 'integer' };

  const list = (req: RestRequest): RestResponse => {
    const p = req.params;
    const statuses = Array.isArray(p.status) ? (p.status as string[]) : ['any'];
    let items = [...shop.orders.values()].filter((o) => (statuses.includes('any') ? o.status !== ('trash' as string) : statuses.includes(o.status)));
    const include = idList(p.include);
    const exclude = idList(p.exclude);
    if (include.length) items = items.filter((o) => include.includes(o.id));
    if (exclude.length) items = items.filter((o) => !exclude.includes(o.id));
    if (has(p, 'customer')) items = items.filter((o) => o.customer_id === int(p.customer));
    if (has(p, 'product')) items = items.filter((o) => o.line_items.some((li) => li.product_id === int(p.product)));
    items = items.filter((o) => matches(p.search, o.billing.first_name, o.billing.last_name, o.billing.email, String(o.id), ...o.line_items.map((li) => li.name)));
    const keys: Record<string, (o: OrderRecord) => string | number> = {
      date: (o) => o.date_created, modified: (o) => o.date_modified, id: (o) => o.id, include: (o) => include.indexOf(o.id), title: (o) => o.id, slug: (o) => o.id,
    };
    items = sortBy(items, keys[String(p.orderby)] ?? keys.date!, p.order, (o) => o.id);
    return collection(req, '/wc/v3/orders', items, (o) => orderJson(o, req.site));
  };

  server.register({
    path: '/wc/v3/orders',
    namespace: 'wc/v3',
    schema: () => itemSchema('shop_order', ORDER_ARGS),
    endpoints: [
      {
        methods: READABLE,
        args: {
          ...collectionArgs(['date', 'id', 'include', 'title', 'slug', 'modified'], 'desc', 'date'),
          status: { description: 'Limit result set to orders which have specific statuses.', type: 'array', items: { type: 'string', enum: ['any', 'trash', ...ORDER_STATUSES] }, default: ['any'] },
          customer: { description: 'Limit result set to orders assigned a specific customer.', type: 'integer' },
          product: { description: 'Limit result set to orders assigned a specific product.', type: 'integer' },
          dp: { description: 'Number of decimal points to use in each resource.', type: 'integer', default: 2 },
        },
        permission: permission('shop_order', 'read', 'woocommerce_rest_cannot_view', MESSAGES.cannotList),
        callback: list,
      },
      {
        methods: CREATABLE,
        args: ORDER_ARGS,
        permission: permission('shop_order', 'create', 'woocommerce_rest_cannot_create', MESSAGES.cannotCreate),
        callback: (req) => {
          if (int(req.params.id) > 0) return wpError('woocommerce_rest_shop_order_exists', 'Cannot create existing shop_order.', 400);
          const order = orderFromParams(shop, req.params);
          if ('code' in order) return order;
          shop.orders.set(order.id, order);
          return respond(orderJson(order, req.site), 201, { Location: req.site.rest(`/wc/v3/orders/${order.id}`) });
        },
      },
    ],
  });
  server.register({
    path: '/wc/v3/orders/(?P<id>[\\d]+)',
    namespace: 'wc/v3',
    schema: () => itemSchema('shop_order', ORDER_ARGS),
    endpoints: [
      {
        methods: READABLE,
        args: { id: idArg, context: contextArg },
        permission: itemPermission(exists, 'shop_order', 'read', 'woocommerce_rest_cannot_view', MESSAGES.cannotView),
        callback: (req) => {
          const o = shop.orders.get(int(req.params.id));
          return o ? respond(orderJson(o, req.site)) : invalidId(404);
        },
      },
      {
        methods: EDITABLE,
        args: { id: idArg, ...withoutDefaults(ORDER_ARGS) },
        permission: itemPermission(exists, 'shop_order', 'edit', 'woocommerce_rest_cannot_edit', MESSAGES.cannotEdit),
        callback: (req) => {
          const current = shop.orders.get(int(req.params.id));
          if (!current) return invalidId(400);
          const order = orderFromParams(shop, req.params, current);
          if ('code' in order) return order;
          shop.orders.set(order.id, order);
          return respond(orderJson(order, req.site));
        },
      },
      {
        methods: DELETABLE,
        args: { id: idArg, force: { description: 'Whether to bypass trash and force deletion.', type: 'boolean', default: false } },
        permission: itemPermission(exists, 'shop_order', 'delete', 'woocommerce_rest_cannot_delete', MESSAGES.cannotDelete),
        callback: (req) => {
          const o = shop.orders.get(int(req.params.id));
          if (!o) return invalidId(404);
          const before = orderJson(o, req.site);
          if (req.params.force === true) shop.orders.delete(o.id);
          else if ((o.status as string) === 'trash') return wpError('woocommerce_rest_already_trashed', 'The shop_order has already been deleted.', 410);
          else (o as { status: string }).status = 'trash';
          return respond(before);
        },
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Customers

function registerCustomers(server: RestServer, shop: Shop): void {
  const idArg: ArgSchema = { description: 'Unique identifier for the resource.', type: 'integer' };
  const invalidId = (): WpError => wpError('woocommerce_rest_invalid_id', 'Invalid resource ID.', 404);
  const target = (req: RestRequest): UserRecord | undefined => shop.user(int(req.params.id));

  const apply = (u: UserRecord, p: Params): WpError | undefined => {
    if (has(p, 'email')) {
      const email = String(p.email);
      const other = findUserByEmail(shop.users, email);
      if (other && other.id !== u.id) return wpError('registration-error-email-exists', 'An account is already registered with your email address. <a href="#" class="showlogin">Please log in.</a>', 400);
      u.email = email;
    }
    if (has(p, 'first_name')) u.firstName = String(p.first_name);
    if (has(p, 'last_name')) u.lastName = String(p.last_name);
    if (p.billing && typeof p.billing === 'object') u.billing = { ...u.billing, ...(p.billing as Record<string, string>) };
    if (p.shipping && typeof p.shipping === 'object') u.shipping = { ...u.shipping, ...(p.shipping as Record<string, string>) };
    u.dateModified = shop.now();
    return undefined;
  };

  server.register({
    path: '/wc/v3/customers',
    namespace: 'wc/v3',
    schema: () => itemSchema('customer', CUSTOMER_ARGS),
    endpoints: [
      {
        methods: READABLE,
        args: {
          ...collectionArgs(['id', 'include', 'name', 'registered_date'], 'asc', 'name'),
          email: { description: 'Limit result set to resources with a specific email.', type: 'string', format: 'email' },
          role: { description: 'Limit result set to resources with a specific role.', type: 'string', default: 'customer', enum: ['all', ...ROLES] },
        },
        permission: permission('user', 'read', 'woocommerce_rest_cannot_view', MESSAGES.cannotList),
        callback: (req) => {
          const p = req.params;
          let items = shop.users.filter((u) => p.role === 'all' || u.role === p.role);
          const include = idList(p.include);
          const exclude = idList(p.exclude);
          if (include.length) items = items.filter((u) => include.includes(u.id));
          if (exclude.length) items = items.filter((u) => !exclude.includes(u.id));
          if (has(p, 'email')) items = items.filter((u) => u.email.toLowerCase() === String(p.email).toLowerCase());
          items = items.filter((u) => matches(p.search, u.login, u.email, u.firstName, u.lastName));
          const keys: Record<string, (u: UserRecord) => string | number> = {
            id: (u) => u.id, include: (u) => include.indexOf(u.id), name: (u) => u.login.toLowerCase(), registered_date: (u) => u.dateCreated,
          };
          items = sortBy(items, keys[String(p.orderby)] ?? keys.name!, p.order, (u) => u.id);
          return collection(req, '/wc/v3/customers', items, (u) => customerJson(u, req.site));
        },
      },
      {
        methods: CREATABLE,
        args: { ...CUSTOMER_ARGS, email: { ...CUSTOMER_ARGS.email, required: true } },
        permission: permission('user', 'create', 'woocommerce_rest_cannot_create', MESSAGES.cannotCreate),
        callback: (req) => {
          const p = req.params;
          if (int(p.id) > 0) return wpError('woocommerce_rest_customer_exists', 'Cannot create existing resource.', 400);
          const email = String(p.email);
          if (findUserByEmail(shop.users, email)) return wpError('registration-error-email-exists', 'An account is already registered with your email address. <a href="#" class="showlogin">Please log in.</a>', 400);
          const login = has(p, 'username') ? String(p.username) : email.split('@')[0]!.replace(/[^a-z0-9._-]/gi, '');
          if (findUserByLogin(shop.users, login)) return wpError('registration-error-username-exists', 'An account is already registered with that username. Please choose another.', 400);
          const now = shop.now();
          const empty = { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '' };
          const user: UserRecord = {
            id: shop.newUserId(), login, role: 'customer', email, firstName: '', lastName: '', applicationPasswords: [], dateCreated: now, dateModified: now,
            billing: { ...empty, email: '', phone: '' }, shipping: { ...empty, phone: '' }, isPayingCustomer: false,
          };
          const error = apply(user, p);
          if (error) return error;
          shop.users.push(user);
          return respond(customerJson(user, req.site), 201, { Location: req.site.rest(`/wc/v3/customers/${user.id}`) });
        },
      },
    ],
  });
  server.register({
    path: '/wc/v3/customers/(?P<id>[\\d]+)',
    namespace: 'wc/v3',
    schema: () => itemSchema('customer', CUSTOMER_ARGS),
    endpoints: [
      {
        methods: READABLE,
        args: { id: idArg, context: contextArg },
        permission: permission('user', 'read', 'woocommerce_rest_cannot_view', MESSAGES.cannotView, target),
        callback: (req) => {
          const u = target(req);
          return u ? respond(customerJson(u, req.site)) : invalidId();
        },
      },
      {
        methods: EDITABLE,
        args: { id: idArg, ...CUSTOMER_ARGS },
        permission: permission('user', 'edit', 'woocommerce_rest_cannot_edit', MESSAGES.cannotEdit, target),
        callback: (req) => {
          const u = target(req);
          if (!u) return invalidId();
          const error = apply(u, req.params);
          return error ?? respond(customerJson(u, req.site));
        },
      },
      {
        methods: DELETABLE,
        args: { id: idArg, force: { description: 'Required to be true, as resource does not support trashing.', type: 'boolean', default: false }, reassign: { description: 'ID to reassign posts to.', type: 'integer', default: 0 } },
        permission: permission('user', 'delete', 'woocommerce_rest_cannot_delete', MESSAGES.cannotDelete, target),
        callback: (req) => {
          const u = target(req);
          if (!u) return invalidId();
          if (req.params.force !== true) return wpError('woocommerce_rest_trash_not_supported', 'Customers do not support trashing.', 501);
          const before = customerJson(u, req.site);
          shop.users.splice(shop.users.indexOf(u), 1);
          return respond(before);
        },
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// System status and wp/v2/users/me

function registerSystemStatus(server: RestServer, shop: Shop): void {
  server.register({
    path: '/wc/v3/system_status',
    namespace: 'wc/v3',
    endpoints: [
      {
        methods: READABLE,
        args: { context: contextArg },
        permission: permission('system_status', 'read', 'woocommerce_rest_cannot_view', MESSAGES.cannotList),
        callback: (req) => respond({
          environment: {
            home_url: req.site.home(''), site_url: req.site.home(''), store_id: 'sandbox', version: '8.2.2', log_directory: '/var/www/html/wp-content/uploads/wc-logs/', log_directory_writable: true,
            wp_version: '6.4.1', wp_multisite: false, wp_memory_limit: 268435456, wp_debug_mode: false, wp_cron: true, language: 'en_US', external_object_cache: null,
            server_info: 'WooCommerce API Studio sandbox (Node.js)', php_version: '8.2.0', php_post_max_size: 8388608, php_max_execution_time: 30, php_max_input_vars: 1000,
            curl_version: '', suhosin_installed: false, max_upload_size: 8388608, mysql_version: '', mysql_version_string: '', default_timezone: 'UTC',
            fsockopen_or_curl_enabled: true, soapclient_enabled: false, domdocument_enabled: true, gzip_enabled: true, mbstring_enabled: true, remote_post_successful: false,
            remote_post_response: '', remote_get_successful: false, remote_get_response: '',
          },
          database: { wc_database_version: '8.2.2', database_prefix: 'wp_', maxmind_geoip_database: '', database_tables: { woocommerce: {}, other: {} }, database_size: { data: 0, index: 0 } },
          active_plugins: [{ plugin: 'woocommerce/woocommerce.php', name: 'WooCommerce', version: '8.2.2', version_latest: '8.2.2', url: 'https://woocommerce.com/', author_name: 'Automattic', author_url: 'https://woocommerce.com', network_activated: false }],
          inactive_plugins: [],
          dropins_mu_plugins: { dropins: [], mu_plugins: [] },
          theme: { name: 'Storefront', version: '4.5.3', version_latest: '4.5.3', author_url: 'https://woocommerce.com/', is_child_theme: false, has_woocommerce_support: true, has_woocommerce_file: false, has_outdated_templates: false, overrides: [], parent_name: '', parent_version: '', parent_version_latest: '', parent_author_url: '' },
          settings: {
            api_enabled: false, force_ssl: false, currency: 'USD', currency_symbol: '&#36;', currency_position: 'left', thousand_separator: ',', decimal_separator: '.', number_of_decimals: 2,
            geolocation_enabled: false, taxonomies: { external: 'external', grouped: 'grouped', simple: 'simple', variable: 'variable' }, product_visibility_terms: {}, woocommerce_com_connected: 'no',
          },
          security: { secure_connection: req.site.isSsl, hide_errors: true },
          pages: [],
          post_type_counts: [{ type: 'product', count: String([...shop.products.values()].filter((p) => p.status !== 'trash').length) }, { type: 'shop_order', count: String(shop.orders.size) }],
        }),
      },
    ],
  });
}

function registerUsersMe(server: RestServer, shop: Shop): void {
  const userJson = (u: UserRecord, req: RestRequest): Record<string, unknown> => {
    const name = [u.firstName, u.lastName].filter(Boolean).join(' ') || u.login;
    const base: Record<string, unknown> = {
      id: u.id, name, url: '', description: '', link: req.site.home(`author/${u.login}/`), slug: u.login.toLowerCase(),
      avatar_urls: { 24: 'https://secure.gravatar.com/avatar/?s=24&d=mm&r=g', 48: 'https://secure.gravatar.com/avatar/?s=48&d=mm&r=g', 96: 'https://secure.gravatar.com/avatar/?s=96&d=mm&r=g' },
      meta: [],
    };
    if (req.params.context === 'edit') Object.assign(base, { username: u.login, email: u.email, first_name: u.firstName, last_name: u.lastName, roles: [u.role], registered_date: `${u.dateCreated}+00:00` });
    base._links = { self: [{ href: req.site.rest(`/wp/v2/users/${u.id}`) }], collection: [{ href: req.site.rest('/wp/v2/users') }] };
    return base;
  };
  const notLoggedIn = (): WpError => wpError('rest_not_logged_in', MESSAGES.notLoggedIn, 401);
  server.register({
    path: '/wp/v2/users/me',
    namespace: 'wp/v2',
    endpoints: [
      {
        methods: READABLE,
        args: { context: contextArg },
        permission: () => true, // the callback answers rest_not_logged_in (WP_REST_Users_Controller::get_current_item)
        callback: (req) => (req.user ? respond(userJson(req.user, req)) : notLoggedIn()),
      },
      {
        methods: EDITABLE,
        args: { first_name: { type: 'string' }, last_name: { type: 'string' }, email: { type: 'string', format: 'email' } },
        permission: (req) => (req.user ? true : wpError('rest_cannot_edit', 'Sorry, you are not allowed to edit this user.', 401)),
        callback: (req) => {
          const u = req.user!;
          if (has(req.params, 'first_name')) u.firstName = String(req.params.first_name);
          if (has(req.params, 'last_name')) u.lastName = String(req.params.last_name);
          if (has(req.params, 'email')) u.email = String(req.params.email);
          u.dateModified = shop.now();
          return respond(userJson(u, { ...req, params: { ...req.params, context: 'edit' } }));
        },
      },
      {
        methods: DELETABLE,
        args: { force: { type: 'boolean', default: false }, reassign: { type: 'integer' } },
        permission: (req) => (req.user && userCan(req.user, 'user', 'delete') ? true : wpError('rest_user_cannot_delete', 'Sorry, you are not allowed to delete this user.', authorizationRequiredCode(req))),
        callback: (req) => (req.params.force === true
          ? wpError('rest_cannot_delete', 'The sandbox does not delete the user you are logged in as.', 400)
          : wpError('rest_trash_not_supported', "Users do not support trashing. Set 'force' to true to delete.", 501)),
      },
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// Indexes

function registerIndexes(server: RestServer): void {
  const namespaces = (): string[] => [...new Set(server.allRoutes().map((r) => r.namespace).filter(Boolean))];
  const routesOf = (site: SiteUrls, namespace?: string): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const r of server.allRoutes()) {
      if (namespace !== undefined && r.namespace !== namespace) continue;
      out[r.path] = server.routeData(r, site);
    }
    return out;
  };
  server.register({
    path: '/',
    namespace: '',
    endpoints: [
      {
        methods: READABLE,
        args: { context: { default: 'view' } },
        permission: () => true,
        callback: (req) => respond({
          name: SITE_NAME,
          description: SITE_DESCRIPTION,
          url: req.site.home(''),
          home: req.site.home(''),
          gmt_offset: '0',
          timezone_string: '',
          namespaces: namespaces(),
          // rest_add_application_passwords_to_index(): only when application passwords are
          // available, i.e. over HTTPS (an empty PHP array, "[]", otherwise).
          authentication: req.site.isSsl ? { 'application-passwords': { endpoints: { authorization: req.site.home('wp-admin/authorize-application.php') } } } : [],
          routes: routesOf(req.site),
          site_logo: 0,
          site_icon: 0,
          site_icon_url: '',
          _links: { help: [{ href: 'https://developer.wordpress.org/rest-api/' }] },
        }),
      },
    ],
  });
  for (const namespace of ['wc/v1', 'wc/v2', 'wc/v3', 'wp/v2']) {
    server.register({
      path: `/${namespace}`,
      namespace,
      endpoints: [
        {
          methods: READABLE,
          args: { namespace: { default: namespace }, context: { default: 'view' } },
          permission: () => true, // case 4: the namespace index needs no credentials
          callback: (req) => respond({ namespace, routes: routesOf(req.site, namespace), _links: { up: [{ href: req.site.rest('/') }] } }),
        },
      ],
    });
  }
}

/** Registers every route in WordPress's order: the index, then each namespace's index and routes. */
export function registerRoutes(server: RestServer, shop: Shop): void {
  registerIndexes(server);
  registerProducts(server, shop);
  registerOrders(server, shop);
  registerCustomers(server, shop);
  registerSystemStatus(server, shop);
  registerSettings(server);
  registerUsersMe(server, shop);
}

