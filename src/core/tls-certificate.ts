// "Trust this certificate" for a local store with a self-signed (or privately issued) certificate:
// read the certificate the server presents, without verifying it, so the user can compare its
// fingerprint and pin it for that store (the store's caCertificateFile). TLS verification then stays
// on: the store is checked against exactly that certificate, and anything else is refused.
//
// No `vscode`; talks to the network through Node's tls module only.

import * as net from 'node:net';
import * as tls from 'node:tls';

export interface PresentedCertificate {
  /** The certificate to pin, PEM: the top of the chain the server sent (the self-signed one itself, or its root). */
  pem: string;
  /** SHA-256 fingerprint of the pinned certificate, as browsers show it (AA:BB:…). */
  fingerprint256: string;
  subject: string;
  issuer: string;
  validTo: string;
  selfSigned: boolean;
}

/** The certificate the server at `url` presents (https only), read without verifying it. */
export function presentedCertificate(url: string, timeoutMs = 10_000): Promise<PresentedCertificate> {
  const u = new URL(url);
  if (u.protocol !== 'https:') return Promise.reject(new Error(`${u.origin} is not https://: there is no certificate to trust.`));
  const port = Number(u.port || 443);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: false, timeout: timeoutMs }, () => {
      const leaf = socket.getPeerCertificate(true);
      socket.end();
      if (!leaf || !leaf.raw) {
        reject(new Error(`${u.host} presented no certificate.`));
        return;
      }
      // Walk up the chain the server sent; the top is what a trust store would hold.
      let top: tls.DetailedPeerCertificate = leaf;
      for (let i = 0; i < 10 && top.issuerCertificate && top.issuerCertificate !== top && top.issuerCertificate.raw; i++) top = top.issuerCertificate;
      const b64 = top.raw.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
      resolve({
        pem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
        fingerprint256: top.fingerprint256,
        subject: nameOf(top.subject),
        issuer: nameOf(top.issuer),
        validTo: top.valid_to,
        selfSigned: nameOf(top.subject) === nameOf(top.issuer),
      });
    });
    socket.once('timeout', () => { socket.destroy(); reject(new Error(`${u.host} did not complete a TLS handshake within ${Math.round(timeoutMs / 1000)} s.`)); });
    socket.once('error', (err) => reject(new Error(`Could not read the certificate of ${u.host}: ${err.message}`)));
  });
}

function nameOf(name: tls.PeerCertificate['subject'] | undefined): string {
  if (!name) return '';
  return Object.entries(name).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : v}`).join(', ');
}

/** TLS errors that "trust this certificate" can repair (self-signed, or an issuer this machine does not know). */
export function isUntrustedCertificate(code: string | undefined): boolean {
  return code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN' || code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' || code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
}

/**
 * A host that is the user's own machine or local network, where turning TLS verification off is a
 * reasonable shortcut: loopback, `localhost`, `*.localhost`, `*.local`, `*.test`, private IPv4
 * ranges and IPv6 unique-local addresses. Never for a store on the internet.
 */
export function isLocalHost(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost') || h.endsWith('.local') || h.endsWith('.test') || h === '::1') return true;
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  return /^f[cd][0-9a-f]{2}:/.test(h);
}
