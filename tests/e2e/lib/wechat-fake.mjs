// A stand-in for WeChat (open.weixin.qq.com and api.weixin.qq.com) for the
// HTTP and browser tests: the reference host runs as a separate process and
// is configured with wechatOpenBaseUrl = wechatApiBaseUrl = fake.baseUrl.
//
//   const wx = await startWeChatFake({ appId: 'wx520c15f417810387', appSecret: 's3cr3t' });
//   wx.setUser({ openid: 'o-wang', unionid: 'u-wang', nickname: '微信用户小王' });
//   ... the browser follows the plugin to ${wx.baseUrl}/connect/oauth2/authorize ...
//   assert.equal(wx.calls.userinfo, 1);
//   await wx.close();
//
// GET /connect/oauth2/authorize   the user consents at once: 302 to redirect_uri
//                                 with code=<fresh single-use code>&state=<state>
// GET /sns/oauth2/access_token    code -> user token (40029 unknown, 40163 used)
// GET /sns/userinfo               the profile of the user the code was made for
// GET /cgi-bin/token              the client access token
// GET /cgi-bin/ticket/getticket   the JS-SDK ticket
// Answers are WeChat's documented JSON (errcode/errmsg on failure, HTTP 200).
// Node built-ins only.
import http from 'node:http';
import { randomBytes } from 'node:crypto';

const DEFAULT_USER = Object.freeze({
	openid: 'oLVPpjqs9BhvzwPj5A-vTYAX3GLc',
	unionid: 'oTpR9xAIiebFOc6p04tMTaLhviCQ',
	nickname: '微信用户小王',
	headimgurl: 'https://thirdwx.qlogo.cn/mmopen/vi_32/wang/132',
});

const SCOPES = new Set(['snsapi_base', 'snsapi_userinfo']);

/**
 * @param {{appId: string, appSecret: string, user?: object, tokenExpiresIn?: number, ticketExpiresIn?: number}} options
 * @returns {Promise<{baseUrl: string, calls: object, setUser(user: object): void, setTokenExpired(): void,
 *   failNext(status: number, body: string): void, close(): Promise<void>}>}
 */
export async function startWeChatFake({ appId, appSecret, user = DEFAULT_USER, tokenExpiresIn = 7200, ticketExpiresIn = 7200 }) {
	if (!appId || !appSecret) throw new Error('startWeChatFake needs appId and appSecret');
	let currentUser = { ...DEFAULT_USER, ...user };
	const codes = new Map(); // code -> { user, scope }
	const usedCodes = new Set();
	const userTokens = new Map(); // oauth access token -> { user, scope }
	const clientTokens = new Set();
	const expiredTokens = new Set();
	let nextFailure = null;
	let serial = 0;
	/** Requests per endpoint; codes handed out, in order. */
	const calls = { authorize: 0, oauthToken: 0, userinfo: 0, token: 0, ticket: 0, codes: [] };

	const fresh = (prefix) => `${prefix}${++serial}_${randomBytes(12).toString('base64url')}`;
	const error = (errcode, errmsg) => ({ errcode, errmsg: `${errmsg}, rid: ${randomBytes(4).toString('hex')}` });

	function api(path, q) {
		switch (path) {
			case '/sns/oauth2/access_token': {
				calls.oauthToken++;
				if (q.get('appid') !== appId) return error(40013, 'invalid appid');
				if (q.get('secret') !== appSecret) return error(40125, 'invalid appsecret');
				if (q.get('grant_type') !== 'authorization_code') return error(40002, 'invalid grant_type');
				const code = q.get('code') ?? '';
				if (usedCodes.has(code)) return error(40163, 'code been used');
				const grant = codes.get(code);
				if (!grant) return error(40029, 'invalid code');
				codes.delete(code);
				usedCodes.add(code);
				const accessToken = fresh('oauth_');
				userTokens.set(accessToken, grant);
				const answer = {
					access_token: accessToken,
					expires_in: 7200,
					refresh_token: fresh('refresh_'),
					openid: grant.user.openid,
					scope: grant.scope,
				};
				if (grant.scope === 'snsapi_userinfo' && grant.user.unionid) answer.unionid = grant.user.unionid;
				return answer;
			}
			case '/sns/userinfo': {
				calls.userinfo++;
				const token = q.get('access_token') ?? '';
				if (expiredTokens.has(token)) return error(42001, 'access_token expired');
				const grant = userTokens.get(token);
				if (!grant) return error(40001, 'invalid credential, access_token is invalid or not latest');
				if (q.get('openid') !== grant.user.openid) return error(40003, 'invalid openid');
				if (grant.scope !== 'snsapi_userinfo') return error(48001, 'api unauthorized');
				const answer = {
					openid: grant.user.openid,
					nickname: grant.user.nickname,
					sex: 0,
					province: '',
					city: '',
					country: '',
					headimgurl: grant.user.headimgurl ?? '',
					privilege: [],
				};
				if (grant.user.unionid) answer.unionid = grant.user.unionid;
				return answer;
			}
			case '/cgi-bin/token': {
				calls.token++;
				if (q.get('grant_type') !== 'client_credential') return error(40002, 'invalid grant_type');
				if (q.get('appid') !== appId) return error(40013, 'invalid appid');
				if (q.get('secret') !== appSecret) return error(40001, 'invalid credential, access_token is invalid or not latest');
				const accessToken = fresh('client_');
				clientTokens.add(accessToken);
				return { access_token: accessToken, expires_in: tokenExpiresIn };
			}
			case '/cgi-bin/ticket/getticket': {
				calls.ticket++;
				const token = q.get('access_token') ?? '';
				if (expiredTokens.has(token)) return error(42001, 'access_token expired');
				if (!clientTokens.has(token)) return error(40001, 'invalid credential, access_token is invalid or not latest');
				if (q.get('type') !== 'jsapi') return error(40097, 'invalid args');
				return { errcode: 0, errmsg: 'ok', ticket: fresh('ticket_'), expires_in: ticketExpiresIn };
			}
			default:
				return null;
		}
	}

	function authorize(q, res) {
		calls.authorize++;
		const redirectUri = q.get('redirect_uri');
		const scope = q.get('scope');
		let problem = null;
		if (q.get('appid') !== appId) problem = '参数错误 (appid)';
		else if (!redirectUri || !/^https?:\/\//.test(redirectUri)) problem = 'redirect_uri 参数错误';
		else if (q.get('response_type') !== 'code') problem = '参数错误 (response_type)';
		else if (!SCOPES.has(scope)) problem = 'scope 参数错误或没有 scope 权限';
		if (problem) {
			// WeChat shows an error page instead of redirecting.
			res.writeHead(400, { 'Content-Type': 'text/html; charset=utf-8' });
			res.end(`<!DOCTYPE html><title>微信</title><p>${problem}</p>`);
			return;
		}
		const code = fresh('code_');
		codes.set(code, { user: { ...currentUser }, scope });
		calls.codes.push(code);
		const hash = redirectUri.indexOf('#');
		const base = hash < 0 ? redirectUri : redirectUri.slice(0, hash);
		const fragment = hash < 0 ? '' : redirectUri.slice(hash);
		const params = new URLSearchParams({ code, state: q.get('state') ?? '' });
		const location = `${base}${base.includes('?') ? '&' : '?'}${params}${fragment}`;
		res.writeHead(302, { Location: location, 'Content-Length': '0' });
		res.end();
	}

	const server = http.createServer((req, res) => {
		const url = new URL(req.url, 'http://127.0.0.1');
		if (nextFailure) {
			const { status, body } = nextFailure;
			nextFailure = null;
			res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
			res.end(body);
			return;
		}
		if (req.method !== 'GET') {
			res.writeHead(405, { Allow: 'GET' });
			res.end();
			return;
		}
		if (url.pathname === '/connect/oauth2/authorize') {
			authorize(url.searchParams, res);
			return;
		}
		const answer = api(url.pathname, url.searchParams);
		if (!answer) {
			res.writeHead(404, { 'Content-Type': 'text/html' });
			res.end('<html><body>404 Not Found</body></html>');
			return;
		}
		// WeChat sends its JSON as text/plain.
		const body = JSON.stringify(answer);
		res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
		res.end(body);
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', resolve);
	});
	const { port } = server.address();

	return {
		baseUrl: `http://127.0.0.1:${port}`,
		calls,
		/** The user the next authorize consents as (fields merged over the default 微信用户小王). */
		setUser(next) {
			currentUser = { ...DEFAULT_USER, ...next };
		},
		/** Every token issued so far (client and user) answers 42001 from now on. */
		setTokenExpired() {
			for (const token of clientTokens) expiredTokens.add(token);
			for (const token of userTokens.keys()) expiredTokens.add(token);
		},
		/** The next request, whatever it asks, gets this status and body. */
		failNext(status, body = '') {
			nextFailure = { status, body };
		},
		close() {
			server.closeAllConnections?.();
			return new Promise((resolve) => server.close(() => resolve()));
		},
	};
}
