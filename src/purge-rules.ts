/**
 * Which URLs ImageKit purges, as its documentation states them (media-api/purge-cache, "Purge Cache
 * for Multiple Files"): a `*` may only end the URL, and a wildcard needs, after the account's id and
 * URL pattern, a path of two levels or more (`/images/upload*`), 15 characters or more, or a complete
 * file name with an extension (`/sample.jpg*`); `/media/catalog/*` and `/s/files/*` never. The command
 * line checks this before sending anything, and the emulator refuses by the same rule.
 */

/**
 * The path a wildcard rule is about: what follows the URL endpoint when the URL is under it, else
 * what follows the account id on ImageKit's own host, else the whole path.
 */
function pathAfterEndpoint(url: URL, urlEndpoint?: string): string {
  const endpoint = urlEndpoint?.replace(/\/+$/, '');
  if (endpoint && url.href.startsWith(endpoint + '/')) return url.href.slice(endpoint.length);
  if (url.hostname === 'ik.imagekit.io') return url.pathname.replace(/^\/[^/]+/, '');
  return url.pathname;
}

/** Why ImageKit would refuse to purge `url`, in words, or undefined when it would purge it. */
export function purgeUrlProblem(url: string, urlEndpoint?: string): string | undefined {
  if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) return 'not an http(s) URL';
  const star = url.indexOf('*');
  if (star < 0) return undefined;
  if (star !== url.length - 1) return 'a * may only end the URL (a wildcard purge)';
  if (!URL.canParse(url.slice(0, -1))) return 'a wildcard needs a host and a path before the *';
  const path = decodeURI(pathAfterEndpoint(new URL(url.slice(0, -1)), urlEndpoint));
  if (/^\/(media\/catalog|s\/files)\/?$/.test(path)) return 'ImageKit never purges /media/catalog/* or /s/files/*';
  const levels = path.split('/').filter(Boolean).length;
  if (levels >= 2 || path.length >= 15 || /\/[^/]+\.[A-Za-z0-9]+$/.test(path)) return undefined;
  return `a wildcard purge needs, before the *, a path of two levels or more (/images/upload*), 15 characters or more, or a file name with its extension (/sample.jpg*); "${path}" is none of these`;
}
