// Command-line flags of `woo-api sandbox`, turned into SandboxOptions. Errors are sentences the CLI
// prints as they are.
import { checkTokenOptions, parseTokenFlag, TOKEN_USAGE } from './tokens/args';
import type { SandboxOptions } from './types';

const USAGE_HINT = `Flags: --http-port N, --https-port N, --host ADDRESS, --seed FILE, --strip-authorization, --plain-permalinks, --home-url URL, --clock-offset SECONDS, --https-proxy, --https-proxy-no-forwarded-proto, --security-plugin, --firewall-query-secret, ${TOKEN_USAGE}.`;

function port(flag: string, value: string | undefined): number {
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a port number (0 picks a free port).`);
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new Error(`${flag} must be a port number from 0 to 65535, not "${value}".`);
  return Number(value);
}

/** Checks a --home-url value: an absolute http(s) URL without query or fragment. */
export function checkHomeUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`The home URL "${value}" is not a URL; write it like https://www.example.test or http://localhost:8080/shop.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`The home URL "${value}" must start with http:// or https://.`);
  if (url.search || url.hash) throw new Error(`The home URL "${value}" must not have a query string or fragment.`);
  if (url.username || url.password) throw new Error(`The home URL "${value}" must not contain a user name or password.`);
  return value;
}

export function parseSandboxArgs(argv: string[]): SandboxOptions & { seedFile?: string } {
  const options: SandboxOptions & { seedFile?: string } = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // Accept --flag=value as well as --flag value.
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const take = (): string | undefined => (inline !== undefined ? inline : argv[++i]);
    const noValue = (): void => {
      if (inline !== undefined) throw new Error(`${flag} does not take a value.`);
    };
    switch (flag) {
      case '--http-port':
        options.httpPort = port(flag, take());
        break;
      case '--https-port':
        options.httpsPort = port(flag, take());
        break;
      case '--host': {
        const value = take();
        if (!value || value.startsWith('--')) throw new Error('--host needs an address to listen on, such as 127.0.0.1.');
        options.host = value;
        break;
      }
      case '--seed': {
        const value = take();
        if (!value || value.startsWith('--')) throw new Error('--seed needs the path of a seed JSON file.');
        options.seedFile = value;
        break;
      }
      case '--strip-authorization':
        noValue();
        options.stripAuthorization = true;
        break;
      case '--plain-permalinks':
        noValue();
        options.plainPermalinks = true;
        break;
      case '--home-url': {
        const value = take();
        if (!value || value.startsWith('--')) throw new Error('--home-url needs a URL, such as https://www.localhost.');
        options.homeUrl = checkHomeUrl(value);
        break;
      }
      case '--clock-offset': {
        const value = take();
        if (value === undefined || !/^[+-]?\d+$/.test(value)) throw new Error(`--clock-offset needs a whole number of seconds (negative for a slow clock), not "${value ?? ''}".`);
        options.clockOffsetSeconds = Number(value);
        break;
      }
      case '--https-proxy':
        noValue();
        options.httpsProxy = true;
        break;
      case '--https-proxy-no-forwarded-proto':
        noValue();
        options.httpsProxyNoForwardedProto = true;
        break;
      case '--security-plugin':
        noValue();
        options.securityPlugin = true;
        break;
      case '--firewall-query-secret':
        noValue();
        options.firewallQuerySecret = true;
        break;
      default:
        if (parseTokenFlag(flag, take, noValue, options)) break;
        throw new Error(`Unknown option "${arg}". ${USAGE_HINT}`);
    }
  }
  if (options.httpsProxy && options.httpsProxyNoForwardedProto) {
    throw new Error('--https-proxy and --https-proxy-no-forwarded-proto describe two different proxies; pick one.');
  }
  if (options.httpPort !== undefined && options.httpPort !== 0 && options.httpPort === options.httpsPort) {
    throw new Error(`--http-port and --https-port are both ${options.httpPort}; they need different ports.`);
  }
  checkTokenOptions(options);
  return options;
}
