// WordPress users, roles and the capability checks WooCommerce's controllers make (REFERENCE C.3).
// Only the three roles the sandbox offers are modelled, with the capabilities that decide the
// REST answers: an administrator can do everything; a shop manager manages the shop (products,
// orders, system status) and customers but not other staff; a customer can do none of it.
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
export type ObjectType = 'product' | 'shop_order' | 'user' | 'system_status';
export type Context = 'read' | 'create' | 'edit' | 'delete' | 'batch';

/**
 * wc_rest_check_post_permissions / wc_rest_check_user_permissions / wc_rest_check_manager_permissions
 * for one user. `target` is the user being acted on, for the shop-manager-may-only-manage-customers rule.
 */
export function userCan(user: UserRecord | undefined, type: ObjectType, context: Context, target?: UserRecord): boolean {
  if (!user) return false;
  if (user.role === 'administrator') return true;
  if (user.role === 'customer') return false;
  // shop_manager
  switch (type) {
    case 'product':
    case 'shop_order':
    case 'system_status':
      return true;
    case 'user':
      if (context === 'read' || context === 'create' || context === 'batch') return true;
      if (context === 'delete') return false; // no delete_users
      // edit: only customers (woocommerce_shop_manager_editable_roles) or themselves.
      return target === undefined || target.role === 'customer' || target.id === user.id;
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
