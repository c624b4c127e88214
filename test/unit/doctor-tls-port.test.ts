// http:// to a port that speaks only TLS and just closes plain HTTP (no Apache page): the sender
// says to try https://, explainExchange names it, and the doctor proves it by reading the same
// host and port over https://. A real TLS server on loopback.
import * as assert from 'node:assert/strict';
import * as https from 'node:https';
import { explainExchange } from '../../src/core/explain/explain';
import { diagnoseStore } from '../../src/core/explain/probes';
import { closeConnections, send } from '../../src/core/send';
import type { Store } from '../../src/core/store';
import { createSelfSignedCertificate } from '../../src/sandbox/certificate';

describe('plain HTTP to a TLS server that just closes', function () {
  this.timeout(20_000);
  const certificate = createSelfSignedCertificate();
  let server: https.Server;
  let port: number;

  before(async () => {
    server = https.createServer({ key: certificate.privateKeyPem, cert: certificate.certificatePem }, (_req, res) => {
      res.setHeader('Content-Type', 'application/json');
      res.end('{"home":"https://127.0.0.1","url":"https://127.0.0.1"}');
    });
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    await closeConnections();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('send says to try https://, and explainExchange names the scheme', async () => {
    const ex = await send({ method: 'GET', url: `http://127.0.0.1:${port}/wp-json/`, headers: [] });
    assert.equal(ex.response, undefined);
    assert.match(ex.error!.message, new RegExp(`use https://127\\.0\\.0\\.1:${port}/wp-json/ instead`));
    const [finding] = explainExchange({ exchange: ex });
    assert.equal(finding?.cause, 'http-to-https-port');
    assert.equal(finding.fixes[0]!.id, 'use-https');
  });

  it('the doctor reads the same port over https:// and names it, with the https:// store URL as the fix', async () => {
    const store: Store = { id: 't', name: 't', baseUrl: `http://127.0.0.1:${port}`, authMethod: 'none' };
    const report = await diagnoseStore(store, {}, { send, tls: { ca: certificate.certificatePem } });
    assert.equal(report.cause, 'http-to-https-port', report.summary);
    assert.equal(report.findings[0]!.confidence, 'certain');
    assert.deepEqual(report.probes.map((p) => `${p.name}:${p.outcome}`), ['index:failed', 'https-index:ok']);
    const fix = report.findings[0]!.fixes[0]!;
    assert.ok(fix.id === 'use-https' && fix.url === `https://127.0.0.1:${port}`, JSON.stringify(fix));
  });
});
