// The store's data in memory (products, orders, users) and its WooCommerce REST v3 JSON shapes
// (WC_REST_Products_Controller / WC_REST_Orders_Controller / WC_REST_Customers_Controller
// prepare_object_for_response, trimmed to the fields clients read).
import * as crypto from 'node:crypto';
import { BASE_DATE, CATEGORIES, customerAddress, EXTRA_CUSTOMERS, seedProducts, wcDate, type OrderRecord, type ProductRecord } from './seed-data';
import type { SiteUrls } from './site';
import type { SandboxSeed } from './types';
import { stripApplicationPassword, type Address, type UserRecord } from './users';

const emptyAddress = (): Address => ({ first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', state: '', postcode: '', country: '' });

export class Shop {
  readonly products = new Map<number, ProductRecord>();
  readonly orders = new Map<number, OrderRecord>();
  readonly users: UserRecord[] = [];
  private nextPost: number;
  private nextUser: number;
  private nextItem = 1;
  readonly startedAt: number;

  constructor(seed: SandboxSeed, private readonly clock: () => number) {
    this.startedAt = clock();
    for (const u of seed.users) {
      const email = u.email ?? `${u.login.toLowerCase().replace(/[^a-z0-9._-]/g, '')}@sandbox.example`;
      this.users.push({
        id: u.id,
        login: u.login,
        role: u.role,
        email,
        firstName: '',
        lastName: '',
        applicationPasswords: (u.application_passwords ?? []).map(stripApplicationPassword),
        loginPassword: u.password,
        dateCreated: wcDate(BASE_DATE - 30 * 86400000),
        dateModified: wcDate(BASE_DATE - 30 * 86400000),
        billing: { ...emptyAddress(), email: u.role === 'customer' ? email : '', phone: '' },
        shipping: { ...emptyAddress(), phone: '' },
        isPayingCustomer: false,
      });
    }
    // Extra customers (no credentials) get ids after the seed's, so seeds keep their own ids.
    let id = Math.max(...this.users.map((u) => u.id)) + 1;
    EXTRA_CUSTOMERS.forEach((c, i) => {
      if (this.users.some((u) => u.login.toLowerCase() === c.login)) return;
      const email = `${c.login}@example.com`;
      const { billing, shipping } = customerAddress(c, email);
      const created = wcDate(BASE_DATE + i * 5 * 86400000);
      this.users.push({ id: id++, login: c.login, role: 'customer', email, firstName: c.first, lastName: c.last, applicationPasswords: [], dateCreated: created, dateModified: created, billing, shipping, isPayingCustomer: true });
    });
    this.nextUser = id;

    for (const p of seedProducts()) this.products.set(p.id, p);
    this.nextPost = Math.max(...this.products.keys()) + 1;
    this.seedOrders();
  }

  now(): string {
    return wcDate(this.clock() * 1000);
  }

  newPostId(): number {
    return this.nextPost++;
  }

  newUserId(): number {
    return this.nextUser++;
  }

  newItemId(): number {
    return this.nextItem++;
  }

  user(id: number): UserRecord | undefined {
    return this.users.find((u) => u.id === id);
  }

  private seedOrders(): void {
    const customers = this.users.filter((u) => u.role === 'customer' && u.billing.address_1);
    const statuses: OrderRecord['status'][] = ['completed', 'processing', 'completed', 'on-hold', 'pending', 'completed', 'cancelled', 'processing', 'refunded', 'completed', 'failed', 'processing'];
    const buyable = [...this.products.values()].filter((p) => p.status === 'publish' && p.type === 'simple' && p.regular_price !== '');
    statuses.forEach((status, i) => {
      const customer = customers[i % customers.length];
      const items = [buyable[(i * 3) % buyable.length]!, buyable[(i * 5 + 2) % buyable.length]!].slice(0, 1 + (i % 2));
      const created = BASE_DATE + (40 + i * 2) * 86400000 + i * 3600000;
      const order: OrderRecord = {
        id: this.newPostId(),
        status,
        currency: 'USD',
        customer_id: customer?.id ?? 0,
        billing: { ...(customer?.billing ?? emptyAddress()), email: customer?.email ?? 'guest@example.com', phone: '555-0100' },
        shipping: { ...(customer?.shipping ?? emptyAddress()), phone: '' },
        payment_method: i % 3 === 0 ? 'bacs' : 'cod',
        payment_method_title: i % 3 === 0 ? 'Direct bank transfer' : 'Cash on delivery',
        transaction_id: '',
        customer_note: i === 4 ? 'Please leave the parcel at the door.' : '',
        date_created: wcDate(created),
        date_modified: wcDate(created + 7200000),
        date_paid: ['completed', 'processing', 'refunded'].includes(status) ? wcDate(created + 600000) : null,
        date_completed: status === 'completed' ? wcDate(created + 86400000) : null,
        line_items: items.map((p, j) => ({ id: this.newItemId(), product_id: p.id, name: p.name, sku: p.sku, quantity: 1 + ((i + j) % 3), price: Number(effectivePrice(p) || '0') })),
        shipping_total: i % 2 === 0 ? '5.00' : '0.00',
        order_key: `wc_order_${crypto.createHash('sha1').update(`order-${i}`).digest('hex').slice(0, 13)}`,
        created_via: 'checkout',
        meta_data: [],
      };
      this.orders.set(order.id, order);
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Products

export function isOnSale(p: ProductRecord): boolean {
  return p.sale_price !== '' && p.regular_price !== '' && Number(p.sale_price) < Number(p.regular_price);
}

export function effectivePrice(p: ProductRecord): string {
  if (p.type === 'grouped') return '';
  return isOnSale(p) ? p.sale_price : p.regular_price;
}

const money = (n: number): string => n.toFixed(2);

function priceAmount(value: string): string {
  return `<span class="woocommerce-Price-amount amount"><bdi><span class="woocommerce-Price-currencySymbol">&#36;</span>${money(Number(value))}</bdi></span>`;
}

function priceHtml(p: ProductRecord): string {
  const price = effectivePrice(p);
  if (price === '') return '';
  if (isOnSale(p)) return `<del aria-hidden="true">${priceAmount(p.regular_price)}</del> <ins>${priceAmount(p.sale_price)}</ins>`;
  return priceAmount(price);
}

function permalink(site: SiteUrls, kind: 'product' | 'order', slugOrId: string | number): string {
  if (kind === 'product') return site.plainPermalinks ? `${site.home('')}/?product=${slugOrId}` : site.home(`product/${slugOrId}/`);
  return site.home(`checkout/order-pay/${slugOrId}/`);
}

export function productJson(p: ProductRecord, site: SiteUrls): Record<string, unknown> {
  const onSale = isOnSale(p);
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    permalink: permalink(site, 'product', p.slug),
    date_created: p.date_created,
    date_created_gmt: p.date_created,
    date_modified: p.date_modified,
    date_modified_gmt: p.date_modified,
    type: p.type,
    status: p.status,
    featured: p.featured,
    catalog_visibility: p.catalog_visibility,
    description: p.description,
    short_description: p.short_description,
    sku: p.sku,
    price: effectivePrice(p),
    regular_price: p.regular_price,
    sale_price: p.sale_price,
    date_on_sale_from: null,
    date_on_sale_from_gmt: null,
    date_on_sale_to: null,
    date_on_sale_to_gmt: null,
    on_sale: onSale,
    purchasable: p.status === 'publish' && effectivePrice(p) !== '',
    total_sales: p.total_sales,
    virtual: p.virtual,
    downloadable: p.downloadable,
    downloads: [],
    download_limit: -1,
    download_expiry: -1,
    external_url: p.external_url,
    button_text: p.button_text,
    tax_status: p.tax_status,
    tax_class: p.tax_class,
    manage_stock: p.manage_stock,
    stock_quantity: p.stock_quantity,
    backorders: p.backorders,
    backorders_allowed: p.backorders !== 'no',
    backordered: false,
    low_stock_amount: null,
    sold_individually: false,
    weight: p.weight,
    dimensions: p.dimensions,
    shipping_required: !p.virtual,
    shipping_taxable: !p.virtual && p.tax_status === 'taxable',
    shipping_class: p.shipping_class,
    shipping_class_id: 0,
    reviews_allowed: p.reviews_allowed,
    average_rating: p.average_rating,
    rating_count: p.rating_count,
    upsell_ids: [],
    cross_sell_ids: [],
    parent_id: p.parent_id,
    purchase_note: p.purchase_note,
    categories: p.categoryIds.map((id) => CATEGORIES.find((c) => c.id === id)).filter((c) => c !== undefined).map((c) => ({ id: c.id, name: c.name, slug: c.slug })),
    tags: [],
    images: p.images.map((img) => ({
      id: img.id,
      date_created: p.date_created,
      date_created_gmt: p.date_created,
      date_modified: p.date_modified,
      date_modified_gmt: p.date_modified,
      src: /^https?:\/\//.test(img.src) ? img.src : site.home(img.src),
      name: img.name,
      alt: img.alt,
    })),
    attributes: [],
    default_attributes: [],
    variations: [],
    grouped_products: [],
    menu_order: p.menu_order,
    price_html: priceHtml(p),
    related_ids: [],
    meta_data: p.meta_data,
    stock_status: p.stock_status,
    has_options: p.type === 'variable',
    post_password: '',
    _links: {
      self: [{ href: site.rest(`/wc/v3/products/${p.id}`) }],
      collection: [{ href: site.rest('/wc/v3/products') }],
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Orders

export function orderTotals(o: OrderRecord): { subtotal: number; total: number } {
  const subtotal = o.line_items.reduce((sum, li) => sum + li.price * li.quantity, 0);
  return { subtotal, total: subtotal + Number(o.shipping_total) };
}

export function orderJson(o: OrderRecord, site: SiteUrls): Record<string, unknown> {
  const { total } = orderTotals(o);
  const paid = o.date_paid !== null;
  return {
    id: o.id,
    parent_id: 0,
    status: o.status,
    currency: o.currency,
    version: '8.2.2',
    prices_include_tax: false,
    date_created: o.date_created,
    date_modified: o.date_modified,
    discount_total: '0.00',
    discount_tax: '0.00',
    shipping_total: o.shipping_total,
    shipping_tax: '0.00',
    cart_tax: '0.00',
    total: money(total),
    total_tax: '0.00',
    customer_id: o.customer_id,
    order_key: o.order_key,
    billing: o.billing,
    shipping: o.shipping,
    payment_method: o.payment_method,
    payment_method_title: o.payment_method_title,
    transaction_id: o.transaction_id,
    customer_ip_address: '127.0.0.1',
    customer_user_agent: '',
    created_via: o.created_via,
    customer_note: o.customer_note,
    date_completed: o.date_completed,
    date_paid: o.date_paid,
    cart_hash: '',
    number: String(o.id),
    meta_data: o.meta_data,
    line_items: o.line_items.map((li) => ({
      id: li.id,
      name: li.name,
      product_id: li.product_id,
      variation_id: 0,
      quantity: li.quantity,
      tax_class: '',
      subtotal: money(li.price * li.quantity),
      subtotal_tax: '0.00',
      total: money(li.price * li.quantity),
      total_tax: '0.00',
      taxes: [],
      meta_data: [],
      sku: li.sku,
      price: li.price,
      image: { id: '', src: '' },
      parent_name: null,
    })),
    tax_lines: [],
    shipping_lines: Number(o.shipping_total) > 0 ? [{ id: o.id * 10, method_title: 'Flat rate', method_id: 'flat_rate', instance_id: '1', total: o.shipping_total, total_tax: '0.00', taxes: [], meta_data: [] }] : [],
    fee_lines: [],
    coupon_lines: [],
    refunds: [],
    payment_url: permalink(site, 'order', `${o.id}/?pay_for_order=true&key=${o.order_key}`),
    is_editable: ['pending', 'on-hold', 'auto-draft'].includes(o.status),
    needs_payment: !paid && ['pending', 'failed'].includes(o.status),
    needs_processing: true,
    date_created_gmt: o.date_created,
    date_modified_gmt: o.date_modified,
    date_completed_gmt: o.date_completed,
    date_paid_gmt: o.date_paid,
    currency_symbol: '$',
    _links: {
      self: [{ href: site.rest(`/wc/v3/orders/${o.id}`) }],
      collection: [{ href: site.rest('/wc/v3/orders') }],
      ...(o.customer_id ? { customer: [{ href: site.rest(`/wc/v3/customers/${o.customer_id}`) }] } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Customers (WordPress users as WooCommerce shows them)

export function customerJson(u: UserRecord, site: SiteUrls): Record<string, unknown> {
  const hash = crypto.createHash('md5').update(u.email.trim().toLowerCase()).digest('hex');
  return {
    id: u.id,
    date_created: u.dateCreated,
    date_created_gmt: u.dateCreated,
    date_modified: u.dateModified,
    date_modified_gmt: u.dateModified,
    email: u.email,
    first_name: u.firstName,
    last_name: u.lastName,
    role: u.role,
    username: u.login,
    billing: u.billing,
    shipping: u.shipping,
    is_paying_customer: u.isPayingCustomer,
    avatar_url: `https://secure.gravatar.com/avatar/${hash}?s=96&d=mm&r=g`,
    meta_data: [],
    _links: {
      self: [{ href: site.rest(`/wc/v3/customers/${u.id}`) }],
      collection: [{ href: site.rest('/wc/v3/customers') }],
    },
  };
}
