// /wc/v3/settings: the settings groups and the options of each (WC_REST_Setting_Options and
// WC_REST_Settings controllers), a read-mostly subset: the General group with the store's address
// and currency options, the groups list as WooCommerce names them. Every check is
// wc_rest_check_manager_permissions( 'settings', … ): manage_woocommerce (administrators and shop
// managers), 401 for nobody, 403 for a user without it.
import { MESSAGES, wpError, type WpError } from './errors';
import { authorizationRequiredCode, respond, type RestRequest, type RestResponse, type RestServer } from './rest-server';
import type { ArgSchema } from './schema';
import { userCan } from './users';

interface SettingDef {
  id: string;
  label: string;
  description: string;
  type: 'text' | 'select' | 'number' | 'checkbox' | 'multiselect';
  default: string | string[];
  options?: Record<string, string>;
}

const GROUPS: { id: string; label: string; description: string }[] = [
  { id: 'general', label: 'General', description: '' },
  { id: 'products', label: 'Products', description: '' },
  { id: 'tax', label: 'Tax', description: '' },
  { id: 'shipping', label: 'Shipping', description: '' },
  { id: 'checkout', label: 'Payments', description: '' },
  { id: 'account', label: 'Accounts & Privacy', description: '' },
  { id: 'email', label: 'Emails', description: '' },
  { id: 'advanced', label: 'Advanced', description: '' },
];

const GENERAL: SettingDef[] = [
  { id: 'woocommerce_store_address', label: 'Address line 1', description: 'The street address for your business location.', type: 'text', default: '' },
  { id: 'woocommerce_store_address_2', label: 'Address line 2', description: 'An additional, optional address line for your business location.', type: 'text', default: '' },
  { id: 'woocommerce_store_city', label: 'City', description: 'The city in which your business is located.', type: 'text', default: '' },
  { id: 'woocommerce_default_country', label: 'Country / State', description: 'The country and state or province, if any, in which your business is located.', type: 'select', default: 'US:CA' },
  { id: 'woocommerce_store_postcode', label: 'Postcode / ZIP', description: 'The postal code, if any, in which your business is located.', type: 'text', default: '' },
  { id: 'woocommerce_allowed_countries', label: 'Selling location(s)', description: 'This option lets you limit which countries you are willing to sell to.', type: 'select', default: 'all', options: { all: 'Sell to all countries', all_except: 'Sell to all countries, except for&hellip;', specific: 'Sell to specific countries' } },
  { id: 'woocommerce_calc_taxes', label: 'Enable taxes', description: 'Enable tax rates and calculations', type: 'checkbox', default: 'no' },
  { id: 'woocommerce_currency', label: 'Currency', description: 'This controls what currency prices are listed at in the catalog and which currency gateways will take payments in.', type: 'select', default: 'USD', options: { USD: 'United States (US) dollar ($)', EUR: 'Euro (&euro;)', GBP: 'Pound sterling (&pound;)' } },
  { id: 'woocommerce_currency_pos', label: 'Currency position', description: 'This controls the position of the currency symbol.', type: 'select', default: 'left', options: { left: 'Left', right: 'Right', left_space: 'Left with space', right_space: 'Right with space' } },
  { id: 'woocommerce_price_thousand_sep', label: 'Thousand separator', description: 'This sets the thousand separator of displayed prices.', type: 'text', default: ',' },
  { id: 'woocommerce_price_decimal_sep', label: 'Decimal separator', description: 'This sets the decimal separator of displayed prices.', type: 'text', default: '.' },
  { id: 'woocommerce_price_num_decimals', label: 'Number of decimals', description: 'This sets the number of decimal points shown in displayed prices.', type: 'number', default: '2' },
];

const SETTINGS: Record<string, SettingDef[]> = { general: GENERAL };

const manager = (context: 'read' | 'edit', code: string, message: string) => (req: RestRequest): true | WpError =>
  userCan(req.user, 'settings', context) ? true : wpError(code, message, authorizationRequiredCode(req));

export function registerSettings(server: RestServer): void {
  // The option values live per sandbox run: set with PUT, read back with GET.
  const values = new Map<string, string | string[]>();
  const settingJson = (group: string, def: SettingDef, req: RestRequest): Record<string, unknown> => ({
    id: def.id,
    label: def.label,
    description: def.description,
    type: def.type,
    default: def.default,
    ...(def.options ? { options: def.options } : {}),
    tip: def.description,
    value: values.get(def.id) ?? def.default,
    group_id: group,
    _links: { self: [{ href: req.site.rest(`/wc/v3/settings/${group}/${def.id}`) }], collection: [{ href: req.site.rest(`/wc/v3/settings/${group}`) }] },
  });
  const groupOf = (req: RestRequest): SettingDef[] | WpError => {
    const group = String(req.params.group_id ?? '');
    if (!GROUPS.some((g) => g.id === group)) return wpError('rest_setting_setting_group_invalid', 'Invalid setting group.', 404);
    return SETTINGS[group] ?? [];
  };
  const groupArg: ArgSchema = { description: 'Settings group ID.', type: 'string' };

  server.register({
    path: '/wc/v3/settings',
    namespace: 'wc/v3',
    endpoints: [{
      methods: ['GET'],
      args: {},
      permission: manager('read', 'woocommerce_rest_cannot_view', MESSAGES.cannotList),
      callback: (req): RestResponse => respond(GROUPS.map((g) => ({
        id: g.id, label: g.label, description: g.description, parent_id: '', sub_groups: [],
        _links: { options: [{ href: req.site.rest(`/wc/v3/settings/${g.id}`) }] },
      }))),
    }],
  });
  server.register({
    path: '/wc/v3/settings/(?P<group_id>[\\w-]+)',
    namespace: 'wc/v3',
    endpoints: [{
      methods: ['GET'],
      args: { group_id: groupArg },
      permission: manager('read', 'woocommerce_rest_cannot_view', MESSAGES.cannotList),
      callback: (req) => {
        const defs = groupOf(req);
        return Array.isArray(defs) ? respond(defs.map((d) => settingJson(String(req.params.group_id), d, req))) : defs;
      },
    }],
  });
  server.register({
    path: '/wc/v3/settings/(?P<group_id>[\\w-]+)/(?P<id>[\\w-]+)',
    namespace: 'wc/v3',
    endpoints: [
      {
        methods: ['GET'],
        args: { group_id: groupArg, id: { description: 'Unique identifier for the resource.', type: 'string' } },
        permission: manager('read', 'woocommerce_rest_cannot_view', MESSAGES.cannotView),
        callback: (req) => {
          const defs = groupOf(req);
          if (!Array.isArray(defs)) return defs;
          const def = defs.find((d) => d.id === req.params.id);
          return def ? respond(settingJson(String(req.params.group_id), def, req)) : wpError('rest_setting_setting_invalid', 'Invalid setting.', 404);
        },
      },
      {
        methods: ['POST', 'PUT', 'PATCH'],
        args: { group_id: groupArg, id: { type: 'string' }, value: { description: 'Setting value.', type: ['string', 'array'] } },
        permission: manager('edit', 'woocommerce_rest_cannot_edit', MESSAGES.cannotEdit),
        callback: (req) => {
          const defs = groupOf(req);
          if (!Array.isArray(defs)) return defs;
          const def = defs.find((d) => d.id === req.params.id);
          if (!def) return wpError('rest_setting_setting_invalid', 'Invalid setting.', 404);
          if (req.params.value !== undefined) values.set(def.id, req.params.value as string | string[]);
          return respond(settingJson(String(req.params.group_id), def, req));
        },
      },
    ],
  });
}
