// WordPress users, roles and the capability checks WooCommerce's controllers make (docs:
// woocommerce-auth-facts.md, C.3). Roles carry the capabilities WordPress 6.4 and WooCommerce 8.2
// give them on install (WC_Install::create_roles + get_core_capabilities, WordPress's
// populate_roles), and each REST permission check asks for the capability WooCommerce's
// wc_rest_check_*_permissions() helpers ask for, so a role the store never tested answers as the
// real store would: an editor reads no products, a shop manager may not create customers.
import type { SandboxRole } from './types';
import { withoutEntities, withoutTags } from './text';

export interface UserRecord {
  id: number;
  login: string;
  role: SandboxRole;
  email: string;
  firstName: string;
  lastName: string;
  /** Stored the way WordPress compares them: letters and digits only. */
  applicationPasswords: string[];
  loginPassword?: string;
  dateCreated: string;
  dateModified: string;
  billing: Address;
  shipping: Address;
  isPayingCustomer: boolean;
}

export interface Address {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  email?: string;
  phone?: string;
}

/** WooCommerce's object types as wc_rest_check_*_permissions() name them. */
export type ObjectType = 'product' | 'shop_order' | 'shop_coupon' | 'product_term' | 'user' | 'system_status' | 'settings' | 'reports';
export type Context = 'read' | 'create' | 'edit' | 'delete' | 'batch';

/** The post types' capabilities WooCommerce adds to administrators and shop managers. */
const postTypeCaps = (type: 'product' | 'shop_order' | 'shop_coupon'): string[] => [
  `edit_${type}`, `read_${type}`, `delete_${type}`, `edit_${type}s`, `edit_others_${type}s`, `publish_${type}s`, `read_private_${type}s`,
  `delete_${type}s`, `delete_private_${type}s`, `delete_published_${type}s`, `delete_others_${type}s`, `edit_private_${type}s`, `edit_published_${type}s`,
  `manage_${type}_terms`, `edit_${type}_terms`, `delete_${type}_terms`, `assign_${type}_terms`,
];
const WOOCOMMERCE_CORE = ['manage_woocommerce', 'create_customers', 'view_woocommerce_reports', ...postTypeCaps('product'), ...postTypeCaps('shop_order'), ...postTypeCaps('shop_coupon')];

// WordPress's own roles, cumulatively (subscriber ⊂ contributor ⊂ author ⊂ editor), with the
// capabilities that matter to REST permission checks.
const SUBSCRIBER = ['read', 'level_0'];
const CONTRIBUTOR = [...SUBSCRIBER, 'edit_posts', 'delete_posts', 'level_1'];
const AUTHOR = [...CONTRIBUTOR, 'upload_files', 'edit_published_posts', 'publish_posts', 'delete_published_posts', 'level_2'];
const EDITOR = [
  ...AUTHOR, 'moderate_comments', 'manage_categories', 'manage_links', 'unfiltered_html', 'edit_others_posts', 'edit_pages', 'edit_others_pages',
  'edit_published_pages', 'publish_pages', 'delete_pages', 'delete_others_pages', 'delete_published_pages', 'delete_others_posts',
  'delete_private_posts', 'edit_private_posts', 'read_private_posts', 'delete_private_pages', 'edit_private_pages', 'read_private_pages',
  'level_3', 'level_4', 'level_5', 'level_6', 'level_7',
];
const ADMINISTRATOR = [
  ...EDITOR, 'switch_themes', 'edit_themes', 'activate_plugins', 'edit_plugins', 'edit_users', 'edit_files', 'manage_options', 'import', 'export',
  'list_users', 'create_users', 'delete_users', 'promote_users', 'remove_users', 'add_users', 'edit_theme_options', 'edit_dashboard',
  'update_core', 'update_plugins', 'update_themes', 'install_plugins', 'install_themes', 'delete_themes', 'delete_plugins', 'level_8', 'level_9', 'level_10',
  ...WOOCOMMERCE_CORE,
];
// WooCommerce's shop manager: an editor's post capabilities, list_users, and every WooCommerce
// capability; not create_users, promote_users or delete_users. (edit_users is granted at run time,
// limited to customers and themselves: wc_shop_manager_has_capability + wc_modify_map_meta_cap.)
const SHOP_MANAGER = [...EDITOR.filter((c) => c !== 'unfiltered_html'), 'level_8', 'level_9', 'upload_files', 'export', 'import', 'list_users', 'edit_theme_options', 'edit_users', ...WOOCOMMERCE_CORE];

export const ROLE_CAPABILITIES: Readonly<Record<SandboxRole, ReadonlySet<string>>> = {
  administrator: new Set(ADMINISTRATOR),
  shop_manager: new Set(SHOP_MANAGER),
  editor: new Set(EDITOR),
  author: new Set(AUTHOR),
  contributor: new Set(CONTRIBUTOR),
  subscriber: new Set(SUBSCRIBER),
  customer: new Set(['read']),
};

export const ROLES: readonly SandboxRole[] = Object.keys(ROLE_CAPABILITIES) as SandboxRole[];

const has = (user: UserRecord, cap: string): boolean => ROLE_CAPABILITIES[user.role]?.has(cap) ?? false;

/** The capability wc_rest_check_post_permissions() asks for, on the post type's capability names. */
function postCapability(type: 'product' | 'shop_order' | 'shop_coupon', context: Context): string {
  switch (context) {
    case 'read': return `read_private_${type}s`;
    case 'create': return `publish_${type}s`;
    // edit_post / delete_post are meta capabilities; for another user's published object they
    // map to edit_others_* / delete_others_* (the sandbox's objects belong to the administrator).
    case 'edit': return `edit_others_${type}s`;
    case 'delete': return `delete_others_${type}s`;
    case 'batch': return `edit_others_${type}s`;
  }
}

/**
 * wc_rest_check_post_permissions / _user_permissions / _product_term_permissions /
 * _manager_permissions for one user. `target` is the user acted on (customers routes): a shop
 * manager may edit only customers and themselves, and never an administrator.
 */
export function userCan(user: UserRecord | undefined, type: ObjectType, context: Context, target?: UserRecord): boolean {
  if (!user) return false;
  switch (type) {
    case 'product':
    case 'shop_order':
    case 'shop_coupon':
      return has(user, postCapability(type, context));
    case 'product_term':
      return has(user, context === 'read' ? 'manage_product_terms' : context === 'delete' ? 'delete_product_terms' : 'edit_product_terms');
    case 'system_status':
    case 'settings':
      return has(user, 'manage_woocommerce');
    case 'reports':
      return has(user, 'view_woocommerce_reports');
    case 'user': {
      // read → list_users; create and batch → promote_users ("shop managers are not allowed to
      // create users"); edit → edit_users; delete → delete_users.
      const cap = context === 'read' ? 'list_users' : context === 'edit' ? 'edit_users' : context === 'delete' ? 'delete_users' : 'promote_users';
      if ((context === 'edit' || context === 'delete') && user.role === 'shop_manager') {
        if (!target || (target.role !== 'customer' && target.id !== user.id)) return false;
      }
      if (context === 'edit' && target && target.role === 'administrator' && user.role !== 'administrator') return false;
      return has(user, cap);
    }
  }
}

/** sanitize_user( $login ) the way WP_User::get_data_by('login') applies it, then MySQL's case-insensitive match. */
export function findUserByLogin(users: Iterable<UserRecord>, login: string): UserRecord | undefined {
  const cleaned = withoutEntities(withoutTags(login).replace(/%[a-fA-F0-9]{2}/g, ''))
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
  if (!cleaned) return undefined;
  for (const u of users) if (u.login.toLowerCase() === cleaned) return u;
  return undefined;
}

/** is_email(), simplified to its shape checks: local@domain.tld, at least 6 characters. */
export function isEmail(value: string): boolean {
  return value.length >= 6 && /^[a-zA-Z0-9!#$%&'*+/=?^_`{|}~.-]+@[a-zA-Z0-9-]+(\.[a-zA-Z0-9-]+)+$/.test(value);
}

export function findUserByEmail(users: Iterable<UserRecord>, email: string): UserRecord | undefined {
  const folded = email.trim().toLowerCase();
  for (const u of users) if (u.email.toLowerCase() === folded) return u;
  return undefined;
}

/** Application passwords are compared on their letters and digits only (spaces are for reading). */
export const stripApplicationPassword = (p: string): string => p.replace(/[^a-z\d]/gi, '');
