// A real OpenID Connect provider for the single sign-on tests (tests/sso): `oidc-provider`
// from npm (package.json), on loopback. It stands in for a municipality's Entra ID / AD FS
// or an OIDC broker: code flow, client secrets, signed ID tokens, userinfo, RP-initiated
// logout. Its sign-in page is oidc-provider's own development form (any password).
//
//   node tests/sso/oidc_provider.mjs CONFIG.json
//
// CONFIG: {"issuer": "http://127.0.0.1:8311", "port": 8311,
//          "clients": [{"client_id", "client_secret", "redirect_uris", "post_logout_redirect_uris"}],
//          "claims": ["roles", "loa"],            // extra claims, released with scope openid
//          "accounts": {"anna": {"email": ..., "given_name": ..., "roles": [...]}}}
// Control (tests only, loopback): PUT /_control/accounts/ID {claims} replaces an account's
// claims; PUT /_control/mode {"mode": "normal" | "wrong_audience" | "expired"} makes the
// token endpoint hand out an ID token for another audience or one that has expired (signed
// with the provider's own key, so only that one defect is wrong).
import { readFileSync } from 'node:fs';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const accounts = config.accounts || {};
let mode = 'normal';

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key-1', alg: 'RS256', use: 'sig' };
const extraClaims = config.claims || [];

const provider = new Provider(config.issuer, {
  clients: config.clients.map((c) => ({
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
    require_auth_time: true,
    ...c,
  })),
  jwks: { keys: [jwk] },
  cookies: { keys: ['test-only-cookie-key-0123456789'] },
  claims: {
    openid: ['sub', ...extraClaims],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name'],
  },
  pkce: { required: () => false },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    if (!accounts[id]) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...accounts[id] }; } };
  },
  // A first-party staff login: no consent page, every requested scope is granted.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name', 'given_name', 'family_name', ...extraClaims]);
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

async function readJson(ctx) {
  let body = '';
  for await (const chunk of ctx.req) body += chunk;
  return JSON.parse(body || '{}');
}

provider.use(async (ctx, next) => {
  if (ctx.path.startsWith('/_control/') && ctx.method === 'PUT') {
    const body = await readJson(ctx);
    if (ctx.path === '/_control/mode') mode = body.mode;
    else accounts[decodeURIComponent(ctx.path.slice('/_control/accounts/'.length))] = body;
    ctx.body = { ok: true, mode };
    return;
  }
  await next();
  if (ctx.path === '/token' && mode !== 'normal' && ctx.body && ctx.body.id_token) {
    const claims = decodeJwt(ctx.body.id_token);
    const now = Math.floor(Date.now() / 1000);
    if (mode === 'wrong_audience') claims.aud = 'someone-else';
    if (mode === 'expired') { claims.iat = now - 7200; claims.exp = now - 3600; }
    ctx.body = {
      ...ctx.body,
      id_token: await new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: jwk.kid }).sign(privateKey),
    };
  }
});

provider.listen(config.port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${config.issuer}`);
});
