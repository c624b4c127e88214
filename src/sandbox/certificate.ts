// A self-signed X.509 v3 certificate for the sandbox's HTTPS listener, made in pure Node at start.
//
// Why not a fixture certificate: a private key committed to the repository is a private key anyone
// can use, and a fixed certificate expires. Why not openssl: it is not guaranteed to be installed.
// So: crypto.generateKeyPairSync (EC P-256, fast) + the few DER structures RFC 5280 needs, signed
// with crypto.sign. Clients trust the sandbox by passing `certificatePem` as their CA.
import * as crypto from 'node:crypto';
import * as net from 'node:net';

export interface SandboxCertificate {
  /** The certificate, PEM ("-----BEGIN CERTIFICATE-----"); give it to clients as `ca`. */
  certificatePem: string;
  /** The private key, PKCS#8 PEM; stays inside the sandbox process. */
  privateKeyPem: string;
}

export interface CertificateOptions {
  /** DNS names for the subjectAltName; default localhost. */
  dnsNames?: string[];
  /** IP addresses for the subjectAltName; default 127.0.0.1 and ::1. */
  ipAddresses?: string[];
  commonName?: string;
  /** Clock used for the validity window (tests). */
  now?: Date;
}

// ---------------------------------------------------------------------------------------------
// A minimal DER writer: just the universal types a certificate uses.

function derLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), derLength(content.length), content]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const octetString = (content: Buffer): Buffer => tlv(0x04, content);
const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const booleanTrue = (): Buffer => tlv(0x01, Buffer.from([0xff]));
/** BIT STRING with no unused bits (all our bit strings are whole bytes). */
const bitString = (content: Buffer): Buffer => tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
/** [n] EXPLICIT, constructed context-specific tag. */
const explicit = (n: number, content: Buffer): Buffer => tlv(0xa0 | n, content);

/** A DER INTEGER from unsigned big-endian bytes (adds the 0x00 that keeps it positive). */
function integer(unsigned: Buffer): Buffer {
  let i = 0;
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++;
  let body = unsigned.subarray(i);
  if (body[0]! & 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(0x02, body);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const bytes: number[] = [40 * parts[0]! + parts[1]!];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let n = Math.floor(part / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift(0x80 | (n & 0x7f));
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime up to 2049, GeneralizedTime after, as RFC 5280 4.1.2.5 requires. */
function time(date: Date): Buffer {
  const iso = date.toISOString(); // 2026-11-27T21:16:00.000Z
  const compact = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z'; // 20261127211600Z
  const year = date.getUTCFullYear();
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(compact.slice(2), 'ascii'));
  return tlv(0x18, Buffer.from(compact, 'ascii'));
}

function name(commonName: string): Buffer {
  return sequence(
    set(sequence(oid('2.5.4.10'), utf8String('WooCommerce API Studio'))),
    set(sequence(oid('2.5.4.3'), utf8String(commonName))),
  );
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), booleanTrue(), octetString(value)) : sequence(oid(id), octetString(value));
}

function ipAddressBytes(ip: string): Buffer {
  if (net.isIPv4(ip)) return Buffer.from(ip.split('.').map(Number));
  if (!net.isIPv6(ip)) throw new Error(`"${ip}" is not an IP address.`);
  // Expand "::" and any embedded IPv4 tail, then write 8 big-endian 16-bit groups.
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4[1]!.split('.').map(Number);
    text = text.slice(0, -v4[1]!.length) + `${((a! << 8) | b!).toString(16)}:${((c! << 8) | d!).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const zeros = tail === undefined ? [] : new Array<string>(8 - headGroups.length - tailGroups.length).fill('0');
  const groups = [...headGroups, ...zeros, ...tailGroups];
  const out = Buffer.alloc(16);
  groups.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

/** Makes a fresh key pair and a self-signed certificate valid from yesterday for one year. */
export function createSelfSignedCertificate(options: CertificateOptions = {}): SandboxCertificate {
  const dnsNames = options.dnsNames ?? ['localhost'];
  const ipAddresses = options.ipAddresses ?? ['127.0.0.1', '::1'];
  const commonName = options.commonName ?? 'WooCommerce API Studio sandbox store';
  const now = options.now ?? new Date();

  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  // subjectKeyIdentifier, method 1 of RFC 5280 4.2.1.2: SHA-1 of the subjectPublicKey bits. The
  // uncompressed P-256 point is the last 65 bytes of the SPKI structure.
  const keyId = crypto.createHash('sha1').update(spki.subarray(spki.length - 65)).digest();

  const serial = crypto.randomBytes(16);
  serial[0] = (serial[0]! & 0x7f) | 0x01; // positive and without a leading zero byte

  const notBefore = new Date(now.getTime() - 24 * 3600 * 1000);
  const notAfter = new Date(now.getTime() + 365 * 24 * 3600 * 1000);

  const subjectAltName = sequence(
    ...dnsNames.map((dns) => tlv(0x82, Buffer.from(dns, 'ascii'))), // [2] dNSName (IA5String)
    ...ipAddresses.map((ip) => tlv(0x87, ipAddressBytes(ip))), // [7] iPAddress
  );
  const extensions = sequence(
    // CA:TRUE so that trusting this one certificate as a CA (the way clients use `ca: pem`) is
    // also valid for strict verifiers that want the trust anchor to be a CA.
    extension('2.5.29.19', true, sequence(booleanTrue())),
    // keyUsage: digitalSignature (bit 0) + keyCertSign (bit 5) = 1000 0100.
    extension('2.5.29.15', true, tlv(0x03, Buffer.from([0x02, 0x84]))),
    extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))), // extKeyUsage: serverAuth
    extension('2.5.29.17', false, subjectAltName),
    extension('2.5.29.14', false, octetString(keyId)),
  );

  const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))), // version v3
    integer(serial),
    ecdsaWithSha256,
    name(commonName),
    sequence(time(notBefore), time(notAfter)),
    name(commonName),
    spki,
    explicit(3, extensions),
  );
  // crypto.sign with an EC key returns the DER ECDSA-Sig-Value X.509 expects.
  const signature = crypto.sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, ecdsaWithSha256, bitString(signature));

  const base64 = certificate.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return {
    certificatePem: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
