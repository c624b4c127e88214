'use strict';
// What the bundles take from undici: Agent, buildConnector and request, required from undici's own
// lib files instead of its index, which also loads fetch, WebSocket, EventSource, the cache, the mock
// agents and the interceptors (about 300 KB minified that the product never calls). esbuild.mjs points
// `undici` here for the bundles; tsc and the unit tests still see undici's index and its types.
// `request` is undici's index's `request`: the same argument checks, then Dispatcher#request.
const Agent = require('undici/lib/dispatcher/agent.js');
const buildConnector = require('undici/lib/core/connect.js');
const apiRequest = require('undici/lib/api/api-request.js');
const util = require('undici/lib/core/util.js');
const { InvalidArgumentError } = require('undici/lib/core/errors.js');

function request(url, opts) {
  if (!url || (typeof url !== 'string' && typeof url !== 'object')) throw new InvalidArgumentError('invalid url');
  if (opts == null || typeof opts !== 'object') throw new InvalidArgumentError('invalid opts');
  if (!opts.dispatcher) throw new InvalidArgumentError('the bundled request() needs opts.dispatcher (no global dispatcher is bundled)');
  const parsed = util.parseURL(url);
  return apiRequest.call(opts.dispatcher, {
    ...opts,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: opts.method || (opts.body ? 'PUT' : 'GET'),
  });
}

module.exports = { Agent, buildConnector, request };
