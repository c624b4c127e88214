// The WooCommerce REST API v3 (`/wp-json/wc/v3/…`) route catalogue, for completion and hovers in
// `.http` files: each route's methods, what it is for, and the query arguments a user is likely to
// want. Paths, methods and arguments follow WooCommerce's own controllers
// (`includes/rest-api/Controllers/Version3/class-wc-rest-*-controller.php`, their `register_routes()`
// and `get_collection_params()`); WordPress's EDITABLE is `POST, PUT, PATCH`, so every route that
// updates also accepts POST. Descriptions are shortened, not quoted.
//
// This is a guide for typing, not a validator: a store's plugins add routes, and the live
// `/wp-json/wc/v3` index is the only complete list. Completion must never wait for the network, so
// the catalogue is static.
//
// Pure: no `vscode`, no I/O.

import { trimTrailingSlashes, withoutQueryOrFragment } from './url-text';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteArg {
  name: string;
  description: string;
  /** The values WooCommerce accepts, when it is an enum (or a boolean). */
  values?: readonly string[];
  default?: string;
}

export interface WooRoute {
  /** After `wc/v3/`, with `<name>` for path parameters: `products/<product_id>/variations/<id>`. */
  path: string;
  methods: readonly HttpMethod[];
  description: string;
  /** Query arguments of GET (HEAD too), usually a collection's filters. */
  query?: readonly RouteArg[];
  /** Query arguments of DELETE (`force`, `reassign`). */
  deleteQuery?: readonly RouteArg[];
  /** Path parameters that are not numeric (`settings/<group_id>` takes `general`). Others match digits only. */
  textParams?: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// Arguments shared by many routes (WC_REST_Controller::get_collection_params and friends)

const READABLE: readonly HttpMethod[] = ['GET'];
const CREATABLE: readonly HttpMethod[] = ['GET', 'POST'];
const EDITABLE: readonly HttpMethod[] = ['POST', 'PUT', 'PATCH'];
const ITEM: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const ITEM_NO_DELETE: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH'];

const BOOL = ['true', 'false'] as const;

const context: RouteArg = { name: 'context', description: 'Scope of the response: view, or edit for every field.', values: ['view', 'edit'], default: 'view' };
const page: RouteArg = { name: 'page', description: 'Page of the collection, from 1.', default: '1' };
const perPage: RouteArg = { name: 'per_page', description: 'Items per page, 1 to 100.', default: '10' };
const search: RouteArg = { name: 'search', description: 'Limit results to those matching a string.' };
const after: RouteArg = { name: 'after', description: 'Only items published after this ISO 8601 date.' };
const before: RouteArg = { name: 'before', description: 'Only items published before this ISO 8601 date.' };
const modifiedAfter: RouteArg = { name: 'modified_after', description: 'Only items modified after this ISO 8601 date.' };
const modifiedBefore: RouteArg = { name: 'modified_before', description: 'Only items modified before this ISO 8601 date.' };
const datesAreGmt: RouteArg = { name: 'dates_are_gmt', description: 'Whether after/before and the modified dates are in GMT.', values: BOOL };
const exclude: RouteArg = { name: 'exclude', description: 'Leave out these IDs (comma-separated).' };
const include: RouteArg = { name: 'include', description: 'Only these IDs (comma-separated).' };
const offset: RouteArg = { name: 'offset', description: 'Skip this many items.' };
const orderDesc: RouteArg = { name: 'order', description: 'Sort direction.', values: ['asc', 'desc'], default: 'desc' };
const orderAsc: RouteArg = { name: 'order', description: 'Sort direction.', values: ['asc', 'desc'], default: 'asc' };
const parent: RouteArg = { name: 'parent', description: 'Only items with these parent IDs.' };
const parentExclude: RouteArg = { name: 'parent_exclude', description: 'Leave out items with these parent IDs.' };
const slug: RouteArg = { name: 'slug', description: 'Only items with this slug.' };
const dp: RouteArg = { name: 'dp', description: 'Decimal places of the amounts in the response.', default: '2' };
const force: RouteArg = { name: 'force', description: 'true deletes for good instead of moving to the trash.', values: BOOL, default: 'false' };
const forceRequired: RouteArg = { name: 'force', description: 'Required true: this resource does not support trashing.', values: ['true'] };

/** WordPress's global parameters: every route understands them. */
export const GLOBAL_ARGS: readonly RouteArg[] = [
  { name: '_fields', description: 'WordPress: only these fields in the response (comma-separated, e.g. id,name).' },
  { name: '_embed', description: 'WordPress: embed linked resources (_links marked embeddable) in the response.' },
  { name: '_envelope', description: 'WordPress: wrap the response in {body, status, headers} (for clients that cannot read headers).' },
];

function orderby(values: readonly string[], dflt: string): RouteArg {
  return { name: 'orderby', description: 'Sort by this attribute.', values, default: dflt };
}

function status(description: string, values: readonly string[], dflt?: string): RouteArg {
  return dflt === undefined ? { name: 'status', description, values } : { name: 'status', description, values, default: dflt };
}

const POST_STATUSES = ['any', 'draft', 'pending', 'private', 'publish', 'future', 'trash'];
const STOCK_STATUSES = ['instock', 'outofstock', 'onbackorder'];
const ORDER_STATUSES = ['any', 'pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed', 'checkout-draft', 'trash'];

/** A post-backed collection (products, orders, coupons): WC_REST_CRUD_Controller::get_collection_params. */
function postCollection(orderbyValues: readonly string[]): RouteArg[] {
  return [context, page, perPage, search, after, before, modifiedAfter, modifiedBefore, datesAreGmt, exclude, include, offset, orderDesc, orderby(orderbyValues, 'date'), parent, parentExclude];
}

const POST_ORDERBY = ['date', 'id', 'include', 'title', 'slug', 'modified'];

const PRODUCT_QUERY: readonly RouteArg[] = [
  ...postCollection([...POST_ORDERBY, 'price', 'popularity', 'rating', 'menu_order']),
  slug,
  status('Only products with this status.', POST_STATUSES, 'any'),
  { name: 'type', description: 'Only products of this type.', values: ['simple', 'grouped', 'external', 'variable'] },
  { name: 'sku', description: 'Only products with these SKUs (comma-separated, exact).' },
  { name: 'featured', description: 'Only featured (or only not featured) products.', values: BOOL },
  { name: 'category', description: 'Only products in this category ID.' },
  { name: 'tag', description: 'Only products with this tag ID.' },
  { name: 'shipping_class', description: 'Only products with this shipping class ID.' },
  { name: 'attribute', description: 'Only products with this attribute taxonomy (e.g. pa_color); use with attribute_term.' },
  { name: 'attribute_term', description: 'Only products with this attribute term ID; use with attribute.' },
  { name: 'tax_class', description: 'Only products with this tax class.', values: ['standard', 'reduced-rate', 'zero-rate'] },
  { name: 'on_sale', description: 'Only products on sale (or not).', values: BOOL },
  { name: 'min_price', description: 'Only products at or above this price.' },
  { name: 'max_price', description: 'Only products at or below this price.' },
  { name: 'stock_status', description: 'Only products with this stock status.', values: STOCK_STATUSES },
  { name: 'virtual', description: 'Only virtual (or only non-virtual) products.', values: BOOL },
  { name: 'downloadable', description: 'Only downloadable (or not) products.', values: BOOL },
];

const VARIATION_QUERY: readonly RouteArg[] = [
  ...postCollection(POST_ORDERBY),
  slug,
  status('Only variations with this status.', POST_STATUSES, 'any'),
  { name: 'sku', description: 'Only variations with this SKU.' },
  { name: 'tax_class', description: 'Only variations with this tax class.', values: ['standard', 'reduced-rate', 'zero-rate'] },
  { name: 'on_sale', description: 'Only variations on sale (or not).', values: BOOL },
  { name: 'min_price', description: 'Only variations at or above this price.' },
  { name: 'max_price', description: 'Only variations at or below this price.' },
  { name: 'stock_status', description: 'Only variations with this stock status.', values: STOCK_STATUSES },
];

const ORDER_QUERY: readonly RouteArg[] = [
  ...postCollection(POST_ORDERBY),
  status('Only orders with these statuses (comma-separated).', ORDER_STATUSES, 'any'),
  { name: 'customer', description: 'Only orders of this customer ID (0 for guests).' },
  { name: 'product', description: 'Only orders that contain this product ID.' },
  dp,
];

const COUPON_QUERY: readonly RouteArg[] = [...postCollection(POST_ORDERBY), { name: 'code', description: 'Only the coupon with this code.' }];

const CUSTOMER_QUERY: readonly RouteArg[] = [
  context, page, perPage, search, exclude, include, offset, orderAsc,
  orderby(['id', 'include', 'name', 'registered_date'], 'name'),
  { name: 'email', description: 'Only the customer with this e-mail address.' },
  { name: 'role', description: 'Only customers with this role (all for every role).', values: ['all', 'administrator', 'editor', 'author', 'contributor', 'subscriber', 'customer', 'shop_manager'], default: 'customer' },
];

/** Product categories, tags, shipping classes and attribute terms: WC_REST_Terms_Controller. */
function termQuery(withParent: boolean): RouteArg[] {
  const args: RouteArg[] = [
    context, page, perPage, search, exclude, include, offset, orderAsc,
    orderby(['id', 'include', 'name', 'slug', 'term_group', 'description', 'count'], 'name'),
    { name: 'hide_empty', description: 'Leave out terms that no product uses.', values: BOOL, default: 'false' },
  ];
  if (withParent) args.push({ name: 'parent', description: 'Only terms with this parent ID (0 for top level).' });
  args.push({ name: 'product', description: 'Only terms of this product ID.' }, slug);
  return args;
}

const REVIEW_QUERY: readonly RouteArg[] = [
  context, page, perPage, search, after, before, exclude, include, offset, orderDesc,
  orderby(['date', 'date_gmt', 'id', 'include', 'product'], 'date_gmt'),
  { name: 'reviewer', description: 'Only reviews by these user IDs.' },
  { name: 'reviewer_exclude', description: 'Leave out reviews by these user IDs.' },
  { name: 'reviewer_email', description: 'Only reviews by this e-mail address.' },
  { name: 'product', description: 'Only reviews of these product IDs.' },
  status('Only reviews with this status.', ['all', 'hold', 'approved', 'spam', 'trash'], 'approved'),
];

const REFUND_QUERY: readonly RouteArg[] = [...postCollection(POST_ORDERBY), dp];

const REPORT_PERIOD_QUERY: readonly RouteArg[] = [
  context,
  { name: 'period', description: 'Report period (ignored when date_min/date_max are given).', values: ['week', 'month', 'last_month', 'year'] },
  { name: 'date_min', description: 'Report start date, YYYY-MM-DD.' },
  { name: 'date_max', description: 'Report end date, YYYY-MM-DD.' },
];

const TAX_QUERY: readonly RouteArg[] = [
  context, page, perPage, offset, orderAsc,
  orderby(['id', 'order', 'priority'], 'order'),
  { name: 'class', description: 'Only rates of this tax class.', values: ['standard', 'reduced-rate', 'zero-rate'] },
];

const WEBHOOK_QUERY: readonly RouteArg[] = [
  context, page, perPage, search, after, before, exclude, include, offset, orderDesc,
  orderby(['date', 'id', 'title'], 'date'),
  status('Only webhooks with this status.', ['all', 'active', 'paused', 'disabled'], 'all'),
];

const NOTE_QUERY: readonly RouteArg[] = [context, { name: 'type', description: 'Which notes: for the customer, internal, or both.', values: ['any', 'customer', 'internal'], default: 'any' }];

// ---------------------------------------------------------------------------------------------
// The catalogue, in the order WooCommerce registers it (a literal segment before a parameter).

export const WOO_ROUTES: readonly WooRoute[] = [
  // Products
  { path: 'products', methods: CREATABLE, description: 'List products, or create one.', query: PRODUCT_QUERY },
  { path: 'products/batch', methods: EDITABLE, description: 'Create, update and delete many products in one request (create/update/delete arrays).' },
  { path: 'products/suggested-products', methods: READABLE, description: 'Products suggested from the same categories and tags.', query: [context, { name: 'categories', description: 'Category IDs to suggest from.' }, { name: 'tags', description: 'Tag IDs to suggest from.' }, { name: 'exclude', description: 'Product IDs to leave out.' }, { name: 'limit', description: 'How many products.', default: '5' }] },
  { path: 'products/<id>', methods: ITEM, description: 'Retrieve, update or delete a product.', query: [context], deleteQuery: [force] },
  { path: 'products/<id>/duplicate', methods: ['POST'], description: 'Duplicate a product (the copy is a draft).' },
  { path: 'products/attributes', methods: CREATABLE, description: 'List global product attributes, or create one.', query: [context] },
  { path: 'products/attributes/batch', methods: EDITABLE, description: 'Create, update and delete many product attributes.' },
  { path: 'products/attributes/<id>', methods: ITEM, description: 'Retrieve, update or delete a product attribute.', query: [context], deleteQuery: [forceRequired] },
  { path: 'products/attributes/<attribute_id>/terms', methods: CREATABLE, description: 'List the terms of a product attribute, or create one.', query: termQuery(false) },
  { path: 'products/attributes/<attribute_id>/terms/batch', methods: EDITABLE, description: 'Create, update and delete many terms of a product attribute.' },
  { path: 'products/attributes/<attribute_id>/terms/<id>', methods: ITEM, description: 'Retrieve, update or delete an attribute term.', query: [context], deleteQuery: [forceRequired] },
  { path: 'products/categories', methods: CREATABLE, description: 'List product categories, or create one.', query: termQuery(true) },
  { path: 'products/categories/batch', methods: EDITABLE, description: 'Create, update and delete many product categories.' },
  { path: 'products/categories/<id>', methods: ITEM, description: 'Retrieve, update or delete a product category.', query: [context], deleteQuery: [forceRequired] },
  { path: 'products/shipping_classes', methods: CREATABLE, description: 'List shipping classes, or create one.', query: termQuery(false) },
  { path: 'products/shipping_classes/batch', methods: EDITABLE, description: 'Create, update and delete many shipping classes.' },
  { path: 'products/shipping_classes/<id>', methods: ITEM, description: 'Retrieve, update or delete a shipping class.', query: [context], deleteQuery: [forceRequired] },
  { path: 'products/tags', methods: CREATABLE, description: 'List product tags, or create one.', query: termQuery(false) },
  { path: 'products/tags/batch', methods: EDITABLE, description: 'Create, update and delete many product tags.' },
  { path: 'products/tags/<id>', methods: ITEM, description: 'Retrieve, update or delete a product tag.', query: [context], deleteQuery: [forceRequired] },
  { path: 'products/reviews', methods: CREATABLE, description: 'List product reviews, or create one.', query: REVIEW_QUERY },
  { path: 'products/reviews/batch', methods: EDITABLE, description: 'Create, update and delete many product reviews.' },
  { path: 'products/reviews/<id>', methods: ITEM, description: 'Retrieve, update or delete a product review.', query: [context], deleteQuery: [force] },
  { path: 'products/<product_id>/variations', methods: CREATABLE, description: 'List the variations of a variable product, or create one.', query: VARIATION_QUERY },
  { path: 'products/<product_id>/variations/batch', methods: EDITABLE, description: 'Create, update and delete many variations of a product.' },
  { path: 'products/<product_id>/variations/generate', methods: ['POST'], description: 'Create every variation the product\'s attributes allow (delete: true removes the others).' },
  { path: 'products/<product_id>/variations/<id>', methods: ITEM, description: 'Retrieve, update or delete a product variation.', query: [context], deleteQuery: [force] },

  // Orders
  { path: 'orders', methods: CREATABLE, description: 'List orders, or create one.', query: ORDER_QUERY },
  { path: 'orders/batch', methods: EDITABLE, description: 'Create, update and delete many orders in one request.' },
  { path: 'orders/<id>', methods: ITEM, description: 'Retrieve, update or delete an order.', query: [context, dp], deleteQuery: [force] },
  { path: 'orders/<order_id>/notes', methods: CREATABLE, description: 'List the notes of an order, or add one.', query: NOTE_QUERY },
  { path: 'orders/<order_id>/notes/<id>', methods: ['GET', 'DELETE'], description: 'Retrieve or delete an order note.', query: [context], deleteQuery: [forceRequired] },
  { path: 'orders/<order_id>/refunds', methods: CREATABLE, description: 'List the refunds of an order, or create one (api_refund: true refunds through the gateway).', query: REFUND_QUERY },
  { path: 'orders/<order_id>/refunds/<id>', methods: ['GET', 'DELETE'], description: 'Retrieve or delete an order refund.', query: [context, dp], deleteQuery: [forceRequired] },
  { path: 'refunds', methods: READABLE, description: 'List refunds of every order (WooCommerce 9.0+).', query: REFUND_QUERY },

  // Customers and coupons
  { path: 'customers', methods: CREATABLE, description: 'List customers, or create one.', query: CUSTOMER_QUERY },
  { path: 'customers/batch', methods: EDITABLE, description: 'Create, update and delete many customers in one request.' },
  { path: 'customers/<id>', methods: ITEM, description: 'Retrieve, update or delete a customer.', query: [context], deleteQuery: [forceRequired, { name: 'reassign', description: 'User ID to give the deleted customer\'s posts to.' }] },
  { path: 'customers/<customer_id>/downloads', methods: READABLE, description: 'The downloads a customer has access to.', query: [context] },
  { path: 'coupons', methods: CREATABLE, description: 'List coupons, or create one.', query: COUPON_QUERY },
  { path: 'coupons/batch', methods: EDITABLE, description: 'Create, update and delete many coupons in one request.' },
  { path: 'coupons/<id>', methods: ITEM, description: 'Retrieve, update or delete a coupon.', query: [context], deleteQuery: [force] },

  // Reports
  { path: 'reports', methods: READABLE, description: 'List the available reports.', query: [context] },
  { path: 'reports/sales', methods: READABLE, description: 'Sales report: totals and per-day figures for a period.', query: REPORT_PERIOD_QUERY },
  { path: 'reports/top_sellers', methods: READABLE, description: 'Top sellers report for a period.', query: REPORT_PERIOD_QUERY },
  { path: 'reports/coupons/totals', methods: READABLE, description: 'Coupon totals by type.', query: [context] },
  { path: 'reports/customers/totals', methods: READABLE, description: 'Customer totals (paying and not).', query: [context] },
  { path: 'reports/orders/totals', methods: READABLE, description: 'Order totals by status.', query: [context] },
  { path: 'reports/products/totals', methods: READABLE, description: 'Product totals by type.', query: [context] },
  { path: 'reports/reviews/totals', methods: READABLE, description: 'Review totals by rating.', query: [context] },

  // Taxes
  { path: 'taxes', methods: CREATABLE, description: 'List tax rates, or create one.', query: TAX_QUERY },
  { path: 'taxes/batch', methods: EDITABLE, description: 'Create, update and delete many tax rates.' },
  { path: 'taxes/classes', methods: CREATABLE, description: 'List tax classes, or create one.', query: [context] },
  { path: 'taxes/classes/<slug>', methods: ['GET', 'DELETE'], description: 'Retrieve or delete a tax class (by slug).', query: [context], deleteQuery: [forceRequired], textParams: ['slug'] },
  { path: 'taxes/<id>', methods: ITEM, description: 'Retrieve, update or delete a tax rate.', query: [context], deleteQuery: [forceRequired] },

  // Webhooks
  { path: 'webhooks', methods: CREATABLE, description: 'List webhooks, or create one.', query: WEBHOOK_QUERY },
  { path: 'webhooks/batch', methods: EDITABLE, description: 'Create, update and delete many webhooks.' },
  { path: 'webhooks/<id>', methods: ITEM, description: 'Retrieve, update or delete a webhook.', query: [context], deleteQuery: [forceRequired] },

  // Settings
  { path: 'settings', methods: READABLE, description: 'List the settings groups (general, products, tax, email, advanced, …).' },
  { path: 'settings/<group_id>', methods: READABLE, description: 'List the options of a settings group (e.g. general).', textParams: ['group_id'] },
  { path: 'settings/<group_id>/batch', methods: EDITABLE, description: 'Update many options of a settings group.', textParams: ['group_id'] },
  { path: 'settings/<group_id>/<id>', methods: ITEM_NO_DELETE, description: 'Retrieve or update one setting option (e.g. general/woocommerce_currency).', textParams: ['group_id', 'id'] },

  // Payment gateways and shipping
  { path: 'payment_gateways', methods: READABLE, description: 'List payment gateways.', query: [context] },
  { path: 'payment_gateways/<id>', methods: ITEM_NO_DELETE, description: 'Retrieve or update a payment gateway (e.g. bacs, cod).', query: [context], textParams: ['id'] },
  { path: 'shipping/zones', methods: CREATABLE, description: 'List shipping zones, or create one.' },
  { path: 'shipping/zones/<id>', methods: ITEM, description: 'Retrieve, update or delete a shipping zone.', deleteQuery: [forceRequired] },
  { path: 'shipping/zones/<id>/locations', methods: ['GET', 'POST', 'PUT', 'PATCH'], description: 'The locations of a shipping zone; PUT replaces them all.' },
  { path: 'shipping/zones/<zone_id>/methods', methods: CREATABLE, description: 'The shipping methods of a zone, or add one (method_id).' },
  { path: 'shipping/zones/<zone_id>/methods/<instance_id>', methods: ITEM, description: 'Retrieve, update or delete a shipping method of a zone.', deleteQuery: [forceRequired] },
  { path: 'shipping_methods', methods: READABLE, description: 'List the shipping methods WooCommerce knows (flat_rate, free_shipping, …).', query: [context] },
  { path: 'shipping_methods/<id>', methods: READABLE, description: 'Retrieve a shipping method (e.g. flat_rate).', query: [context], textParams: ['id'] },

  // System status
  { path: 'system_status', methods: READABLE, description: 'The system status report: environment, database, plugins, theme, settings.', query: [context] },
  { path: 'system_status/tools', methods: READABLE, description: 'List the system status tools (clear transients, regenerate thumbnails, …).', query: [context] },
  { path: 'system_status/tools/<id>', methods: ITEM_NO_DELETE, description: 'Retrieve a system status tool, or run it with PUT (e.g. clear_transients).', query: [context], textParams: ['id'] },

  // Data
  { path: 'data', methods: READABLE, description: 'List the data endpoints (continents, countries, currencies).', query: [context] },
  { path: 'data/continents', methods: READABLE, description: 'Continents with their countries and states.', query: [context] },
  { path: 'data/continents/<location>', methods: READABLE, description: 'One continent (code, e.g. EU).', query: [context], textParams: ['location'] },
  { path: 'data/countries', methods: READABLE, description: 'Countries with their states.', query: [context] },
  { path: 'data/countries/<location>', methods: READABLE, description: 'One country (ISO code, e.g. US) and its states.', query: [context], textParams: ['location'] },
  { path: 'data/currencies', methods: READABLE, description: 'Currencies with their names and symbols.', query: [context] },
  { path: 'data/currencies/current', methods: READABLE, description: 'The store\'s currency.', query: [context] },
  { path: 'data/currencies/<currency>', methods: READABLE, description: 'One currency (ISO code, e.g. EUR).', query: [context], textParams: ['currency'] },
];

// ---------------------------------------------------------------------------------------------
// Matching what the user typed against the catalogue

const PARAM = /^<([A-Za-z_]+)>$/;

interface Segment {
  literal?: string;
  param?: string;
  text?: boolean;
}

const segmentCache = new WeakMap<WooRoute, Segment[]>();

function segmentsOf(route: WooRoute): Segment[] {
  let segs = segmentCache.get(route);
  if (!segs) {
    segs = route.path.split('/').map((s) => {
      const m = PARAM.exec(s);
      return m ? { param: m[1]!, text: route.textParams?.includes(m[1]!) ?? false } : { literal: s };
    });
    segmentCache.set(route, segs);
  }
  return segs;
}

/** A `{{variable}}` stands for any value; otherwise numeric parameters take digits only. */
function fitsParam(value: string, seg: Segment): boolean {
  if (value === '') return false;
  if (value.includes('{{')) return true;
  return seg.text ? /^[\w.%-][\w .%-]*$/.test(value) : /^\d+$/.test(value);
}

function fitsSegment(value: string, seg: Segment): boolean {
  return seg.literal !== undefined ? seg.literal.toLowerCase() === value.toLowerCase() : fitsParam(value, seg);
}

export interface RouteCompletion {
  route: WooRoute;
  /** The completed path with the values typed so far and `<param>` for the rest: `products/42/variations/<id>`. */
  path: string;
  /** The same as a VS Code snippet: `products/42/variations/${1:id}`. */
  snippet: string;
  /** Text that starts with what was typed, for the editor's filtering: `products/42/variations/id`. */
  filterText: string;
}

/** Strips what cannot be part of the path: a leading slash, the query, the fragment. */
function pathPart(typed: string): string {
  return withoutQueryOrFragment(typed.replace(/^\/+/, ''));
}

/**
 * The routes that can complete `pathAfterVersion` (what follows `/wp-json/wc/v3/`): every segment
 * before the last must match (a literal, or a value for a parameter), and the last, partly typed
 * segment must start a literal or be a value for a parameter. A route is offered once; when
 * `method` is given, the routes that accept it come first.
 */
export function routeCompletions(pathAfterVersion: string, method?: string): RouteCompletion[] {
  const typed = pathPart(pathAfterVersion).split('/');
  const done = typed.slice(0, -1);
  const partial = typed[typed.length - 1] ?? '';
  const out: { c: RouteCompletion; rank: number; index: number }[] = [];
  WOO_ROUTES.forEach((route, index) => {
    const segs = segmentsOf(route);
    if (segs.length < typed.length) return;
    for (let i = 0; i < done.length; i++) if (!fitsSegment(done[i]!, segs[i]!)) return;
    const last = segs[done.length]!;
    if (last.literal !== undefined ? !last.literal.toLowerCase().startsWith(partial.toLowerCase()) : partial !== '' && !fitsParam(partial, last)) return;
    const values = [...done, partial];
    const pathParts: string[] = [];
    const snippetParts: string[] = [];
    const filterParts: string[] = [];
    let tab = 0;
    segs.forEach((seg, i) => {
      const given = i < done.length || (i === done.length && seg.param !== undefined && partial !== '') ? values[i]! : undefined;
      if (seg.literal !== undefined) {
        pathParts.push(seg.literal);
        snippetParts.push(escapeSnippet(seg.literal));
        filterParts.push(i < done.length ? values[i]! : seg.literal);
      } else if (given !== undefined) {
        pathParts.push(given);
        snippetParts.push(escapeSnippet(given));
        filterParts.push(given);
      } else {
        pathParts.push(`<${seg.param}>`);
        snippetParts.push(`\${${++tab}:${seg.param}}`);
        filterParts.push(seg.param!);
      }
    });
    const accepts = method === undefined || route.methods.includes(normalizeMethod(method) as HttpMethod);
    // Shorter routes first within the same acceptance, then catalogue order.
    out.push({ c: { route, path: pathParts.join('/'), snippet: snippetParts.join('/'), filterText: filterParts.join('/') }, rank: (accepts ? 0 : 100) + segs.length, index });
  });
  return out.sort((a, b) => a.rank - b.rank || a.index - b.index).map((x) => x.c);
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

function normalizeMethod(method: string): string {
  const m = method.toUpperCase();
  return m === 'HEAD' ? 'GET' : m;
}

/**
 * The catalogue route a path names: `products/42/variations/7`, `products/{{id}}` or the catalogue's
 * own `products/<id>`. A literal segment beats a parameter (`data/currencies/current` is its own
 * route, as in WooCommerce, which registers it first).
 */
export function findRoute(path: string): WooRoute | undefined {
  const clean = trimTrailingSlashes(pathPart(path));
  const exact = WOO_ROUTES.find((r) => r.path === clean);
  if (exact) return exact;
  const typed = clean.split('/');
  let best: { route: WooRoute; literals: number } | undefined;
  for (const route of WOO_ROUTES) {
    const segs = segmentsOf(route);
    if (segs.length !== typed.length) continue;
    let literals = 0;
    let ok = true;
    for (let i = 0; i < segs.length && ok; i++) {
      ok = fitsSegment(typed[i]!, segs[i]!);
      if (segs[i]!.literal !== undefined) literals++;
    }
    if (ok && (!best || literals > best.literals)) best = { route, literals };
  }
  return best?.route;
}

/**
 * The query arguments of `route` (a catalogue path or a typed one) for `method`: the route's own
 * (filters for GET, `force` for DELETE), then WordPress's global ones. Empty when the route is not
 * in the catalogue.
 */
export function routeArgs(route: string, method: string): RouteArg[] {
  const r = findRoute(route);
  if (!r) return [];
  const m = normalizeMethod(method);
  const own = m === 'GET' ? r.query ?? [] : m === 'DELETE' ? r.deleteQuery ?? [] : [];
  return [...own, ...GLOBAL_ARGS];
}

/** The part of a URL after `/wc/v3/` (any REST prefix, or `?rest_route=/wc/v3/`), or undefined. */
export function wooPathOf(url: string): string | undefined {
  const m = /\/wc\/v3\/([^?#&\s]*)/.exec(url);
  if (m) return m[1];
  const plain = /[?&]rest_route=(?:\/|%2F)wc(?:\/|%2F)v3(?:\/|%2F)([^&#\s]*)/i.exec(url);
  return plain ? decodeURIComponent(plain[1]!) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Routes as the runner panel offers them: from the store's own `/wp-json/wc/v3` index when it
// could be read (plugins' routes included, body fields from each endpoint's args), else from the
// catalogue above.

export interface PanelRouteArg {
  name: string;
  description?: string;
  type?: string;
  required?: boolean;
  values?: string[];
}

export interface PanelRoute {
  /** After the REST prefix, with `{name}` for path parameters: `wc/v3/products/{id}`. */
  path: string;
  methods: string[];
  description?: string;
  /** Query arguments offered for GET and DELETE; body fields for POST, PUT and PATCH. */
  args: Record<string, PanelRouteArg[]>;
}

/** `/wc/v3/products/(?P<id>[\d]+)` → `wc/v3/products/{id}`. */
export function routeShape(path: string): string {
  return path.replace(/\(\?P<(\w+?)>(?:[^()]|\([^()]*\))*\)/g, '{$1}').replace(/^\/+/, '');
}

/** The routes of a namespace index (`GET /wp-json/wc/v3`); undefined when the body is not one. */
export function routesFromIndex(index: unknown): PanelRoute[] | undefined {
  if (typeof index !== 'object' || index === null) return undefined;
  const routes = (index as { routes?: unknown }).routes;
  if (typeof routes !== 'object' || routes === null || Array.isArray(routes)) return undefined;
  const out: PanelRoute[] = [];
  for (const [path, data] of Object.entries(routes as Record<string, unknown>)) {
    if (typeof data !== 'object' || data === null) continue;
    const shape = routeShape(path);
    if (!/\//.test(shape)) continue; // the namespace's own index
    const args: Record<string, PanelRouteArg[]> = {};
    const methods = new Set<string>();
    const endpoints = (data as { endpoints?: unknown }).endpoints;
    for (const e of Array.isArray(endpoints) ? endpoints : []) {
      if (typeof e !== 'object' || e === null) continue;
      const ms = Array.isArray((e as { methods?: unknown }).methods) ? ((e as { methods: unknown[] }).methods.filter((m) => typeof m === 'string') as string[]) : [];
      const a = (e as { args?: unknown }).args;
      const list: PanelRouteArg[] = [];
      if (typeof a === 'object' && a !== null) {
        for (const [name, spec] of Object.entries(a as Record<string, unknown>)) {
          if (shape.includes(`{${name}}`)) continue; // a path parameter, not a query or body field
          const sp = (typeof spec === 'object' && spec !== null ? spec : {}) as Record<string, unknown>;
          const type = Array.isArray(sp.type) ? sp.type.join('|') : typeof sp.type === 'string' ? sp.type : undefined;
          list.push({
            name,
            description: typeof sp.description === 'string' ? sp.description : undefined,
            type,
            required: sp.required === true,
            values: Array.isArray(sp.enum) ? sp.enum.map(String) : type === 'boolean' ? ['true', 'false'] : undefined,
          });
        }
      }
      for (const m of ms) {
        methods.add(m);
        args[m] = list;
      }
    }
    out.push({ path: shape, methods: [...methods], args });
  }
  return out.length ? out : undefined;
}

/** The catalogue's routes in the panel's shape, for a store whose index could not be read. */
export function catalogueRoutes(): PanelRoute[] {
  return WOO_ROUTES.map((r) => {
    const args: Record<string, PanelRouteArg[]> = {};
    for (const m of r.methods) if (m === 'GET' || m === 'DELETE') args[m] = routeArgs(r.path, m).map((a) => ({ name: a.name, description: a.description, values: a.values ? [...a.values] : undefined }));
    return { path: `wc/v3/${r.path.replace(/<(\w+)>/g, '{$1}')}`, methods: [...r.methods], description: r.description, args };
  });
}
