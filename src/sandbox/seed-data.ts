// The shop the sandbox opens with: a few dozen products in WooCommerce's sample-data style, some
// customers and orders that reference them. Deterministic (no randomness, fixed dates), so a demo
// or a test sees the same store every time. Product ids start at 10, like the recorded store's
// "Test Ring" (cases 5-6), because WordPress post ids are shared with pages and other posts.
import type { Address } from './users';

export interface Category {
  id: number;
  name: string;
  slug: string;
}

export interface ImageRecord {
  id: number;
  src: string;
  name: string;
  alt: string;
}

export interface ProductRecord {
  id: number;
  name: string;
  slug: string;
  type: 'simple' | 'grouped' | 'external' | 'variable';
  status: 'draft' | 'pending' | 'private' | 'publish' | 'future' | 'trash';
  featured: boolean;
  catalog_visibility: 'visible' | 'catalog' | 'search' | 'hidden';
  description: string;
  short_description: string;
  sku: string;
  regular_price: string;
  sale_price: string;
  date_created: string;
  date_modified: string;
  total_sales: number;
  virtual: boolean;
  downloadable: boolean;
  external_url: string;
  button_text: string;
  tax_status: 'taxable' | 'shipping' | 'none';
  tax_class: string;
  manage_stock: boolean;
  stock_quantity: number | null;
  stock_status: 'instock' | 'outofstock' | 'onbackorder';
  backorders: 'no' | 'notify' | 'yes';
  weight: string;
  dimensions: { length: string; width: string; height: string };
  shipping_class: string;
  reviews_allowed: boolean;
  average_rating: string;
  rating_count: number;
  parent_id: number;
  purchase_note: string;
  categoryIds: number[];
  tags: string[];
  images: ImageRecord[];
  menu_order: number;
  meta_data: { id: number; key: string; value: unknown }[];
}

export interface LineItemRecord {
  id: number;
  product_id: number;
  quantity: number;
}

export interface OrderRecord {
  id: number;
  status: 'pending' | 'processing' | 'on-hold' | 'completed' | 'cancelled' | 'refunded' | 'failed' | 'checkout-draft';
  currency: string;
  customer_id: number;
  billing: Address & { email: string; phone: string };
  shipping: Address & { phone: string };
  payment_method: string;
  payment_method_title: string;
  transaction_id: string;
  customer_note: string;
  date_created: string;
  date_modified: string;
  date_paid: string | null;
  date_completed: string | null;
  line_items: { id: number; product_id: number; name: string; sku: string; quantity: number; price: number }[];
  shipping_total: string;
  order_key: string;
  created_via: string;
  meta_data: { id: number; key: string; value: unknown }[];
}

export const CATEGORIES: Category[] = [
  { id: 15, name: 'Uncategorized', slug: 'uncategorized' },
  { id: 16, name: 'Clothing', slug: 'clothing' },
  { id: 17, name: 'Hoodies', slug: 'hoodies' },
  { id: 18, name: 'Tshirts', slug: 'tshirts' },
  { id: 19, name: 'Accessories', slug: 'accessories' },
  { id: 20, name: 'Music', slug: 'music' },
  { id: 21, name: 'Decor', slug: 'decor' },
  { id: 22, name: 'Jewelry', slug: 'jewelry' },
];

// name, sku, regular, sale, stock (null = not managed), categories, extra
type Row = [string, string, string, string, number | null, number[], Partial<ProductRecord>?];
const ROWS: Row[] = [
  ['Test Ring', 'woo-test-ring', '49.00', '', 12, [22]],
  ['V-Neck T-Shirt', 'woo-vneck-tee', '20.00', '', null, [16, 18], { type: 'variable', featured: true }],
  ['Hoodie', 'woo-hoodie', '45.00', '42.00', null, [16, 17], { type: 'variable' }],
  ['Hoodie with Logo', 'woo-hoodie-with-logo', '45.00', '', 30, [16, 17]],
  ['T-Shirt', 'woo-tshirt', '18.00', '', 50, [16, 18]],
  ['Beanie', 'woo-beanie', '20.00', '18.00', 40, [16, 19]],
  ['Belt', 'woo-belt', '65.00', '55.00', 8, [16, 19]],
  ['Cap', 'woo-cap', '18.00', '16.00', 25, [16, 19], { featured: true }],
  ['Sunglasses', 'woo-sunglasses', '90.00', '', 0, [16, 19], { stock_status: 'outofstock' }],
  ['Hoodie with Pocket', 'woo-hoodie-with-pocket', '45.00', '35.00', 14, [16, 17]],
  ['Hoodie with Zipper', 'woo-hoodie-with-zipper', '45.00', '', 6, [16, 17], { featured: true }],
  ['Long Sleeve Tee', 'woo-long-sleeve-tee', '25.00', '', 33, [16, 18]],
  ['Polo', 'woo-polo', '20.00', '', 21, [16, 18]],
  ['Album', 'woo-album', '15.00', '', null, [20], { virtual: true, downloadable: true, shipping_class: '' }],
  ['Single', 'woo-single', '3.00', '2.00', null, [20], { virtual: true, downloadable: true }],
  ['T-Shirt with Logo', 'Woo-tshirt-logo', '18.00', '', 44, [16, 18]],
  ['Beanie with Logo', 'Woo-beanie-logo', '20.00', '18.00', 17, [16, 19]],
  ['Logo Collection', 'logo-collection', '', '', null, [16], { type: 'grouped' }],
  ['WordPress Pennant', 'wp-pennant', '11.05', '', null, [21], { type: 'external', external_url: 'https://mercantile.wordpress.org/product/wordpress-pennant/', button_text: 'Buy on the WordPress swag store!' }],
  ['Silver Hoop Earrings', 'jw-hoop-silver', '34.00', '', 18, [22]],
  ['Gold Pendant Necklace', 'jw-pendant-gold', '129.00', '109.00', 5, [22], { featured: true }],
  ['Leather Watch Strap', 'acc-watch-strap', '24.50', '', 60, [19]],
  ['Canvas Tote Bag', 'acc-tote-canvas', '16.00', '', 75, [19]],
  ['Ceramic Mug', 'dec-mug-ceramic', '12.00', '', 120, [21]],
  ['Scented Candle', 'dec-candle-cedar', '22.00', '19.80', 0, [21], { stock_status: 'onbackorder', backorders: 'notify' }],
  ['Linen Cushion Cover', 'dec-cushion-linen', '28.00', '', 9, [21]],
  ['Vinyl Record Cleaner', 'mus-vinyl-cleaner', '14.95', '', 40, [20]],
  ['Wool Scarf', 'clo-scarf-wool', '39.00', '', 0, [16, 19], { stock_status: 'outofstock' }],
  ['Rain Jacket', 'clo-rain-jacket', '89.00', '79.00', 11, [16]],
  ['Draft Product (not published)', 'draft-sample', '10.00', '', null, [15], { status: 'draft' }],
  ['Private Wholesale Pack', 'wholesale-pack', '240.00', '', 3, [15], { status: 'private', catalog_visibility: 'hidden' }],
  ['Gift Card', 'gift-card', '25.00', '', null, [15], { virtual: true, tax_status: 'none' }],
];

const BASE_DATE = Date.UTC(2026, 5, 1, 9, 0, 0); // 2026-06-01T09:00:00Z

/** WooCommerce's date format in API responses: local time without zone (the store runs on UTC). */
export function wcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

export function seedProducts(): ProductRecord[] {
  return ROWS.map(([name, sku, regular, sale, stock, categoryIds, extra], i) => {
    const id = 10 + i;
    const created = BASE_DATE + i * 36 * 3600 * 1000;
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const product: ProductRecord = {
      id,
      name,
      slug,
      type: 'simple',
      status: 'publish',
      featured: false,
      catalog_visibility: 'visible',
      description: `<p>${name}: a sample product of the WooCommerce API Studio sandbox store.</p>`,
      short_description: `<p>${name}.</p>`,
      sku,
      regular_price: regular,
      sale_price: sale,
      date_created: wcDate(created),
      date_modified: wcDate(created + 3600 * 1000),
      total_sales: (i * 7) % 23,
      virtual: false,
      downloadable: false,
      external_url: '',
      button_text: '',
      tax_status: 'taxable',
      tax_class: '',
      manage_stock: stock !== null,
      stock_quantity: stock,
      stock_status: stock === null || stock > 0 ? 'instock' : 'outofstock',
      backorders: 'no',
      weight: stock === null ? '' : (0.2 + (i % 5) * 0.15).toFixed(2),
      dimensions: { length: '', width: '', height: '' },
      shipping_class: '',
      reviews_allowed: true,
      average_rating: ((i * 37) % 50 / 10).toFixed(2),
      rating_count: (i * 3) % 7,
      parent_id: 0,
      purchase_note: '',
      categoryIds,
      tags: [],
      images: [{ id: 100 + i, src: `/wp-content/uploads/2026/06/${slug}.jpg`, name: slug, alt: '' }],
      menu_order: 0,
      meta_data: [],
      ...extra,
    };
    return product;
  });
}

interface CustomerSeed {
  login: string;
  first: string;
  last: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  address: string;
}

export const EXTRA_CUSTOMERS: CustomerSeed[] = [
  { login: 'jane.doe', first: 'Jane', last: 'Doe', city: 'Portland', state: 'OR', postcode: '97201', country: 'US', address: '12 Alder St' },
  { login: 'john.smith', first: 'John', last: 'Smith', city: 'Austin', state: 'TX', postcode: '73301', country: 'US', address: '400 Congress Ave' },
  { login: 'maria.garcia', first: 'María', last: 'García', city: 'Madrid', state: 'M', postcode: '28013', country: 'ES', address: 'Calle Mayor 5' },
  { login: 'li.wei', first: 'Wei', last: 'Li', city: 'Toronto', state: 'ON', postcode: 'M5V 2T6', country: 'CA', address: '88 Queen St W' },
  { login: 'amara.okafor', first: 'Amara', last: 'Okafor', city: 'London', state: '', postcode: 'EC1A 1BB', country: 'GB', address: '1 Aldersgate' },
  { login: 'lukas.muller', first: 'Lukas', last: 'Müller', city: 'Berlin', state: 'BE', postcode: '10115', country: 'DE', address: 'Invalidenstraße 10' },
];

export function customerAddress(c: CustomerSeed, email: string): { billing: Address & { email: string; phone: string }; shipping: Address & { phone: string } } {
  const base = { first_name: c.first, last_name: c.last, company: '', address_1: c.address, address_2: '', city: c.city, state: c.state, postcode: c.postcode, country: c.country };
  return { billing: { ...base, email, phone: '555-0100' }, shipping: { ...base, phone: '' } };
}

export { BASE_DATE };
