// Embed mode, in the head of every page the server writes (http::embed). Framed with
// `?embed=1` (remembered for the tab as the app remembers it, `dom::embed_mode`; `?embed=0`
// ends it), the page hides its header and footer, tells the
// parent page its height, opens links that leave the portal at the top level, and when the frame
// cannot keep a SameSite=Lax cookie (another site's page), logs in at the top level.
(function () {
  var w = window, d = document, h = d.documentElement, K = "skolportal.embed";
  if (w.top === w) return;
  var m = d.querySelector('meta[name="skolportal-frame-origins"]');
  var allowed = m && m.content ? m.content.split(" ") : [];
  var store = null;
  try { store = w.sessionStorage; } catch (e) {}
  if (!h.hasAttribute("data-embed")) {
    var param = new URLSearchParams(location.search).get("embed"), asked = false;
    try {
      if (param !== null) {
        asked = param === "1" || param === "true";
        store.setItem(K, asked ? "true" : "false");
      } else {
        asked = store.getItem(K) === "true";
      }
    } catch (e) {}
    if (!asked) return;
    h.setAttribute("data-embed", "");
  }
  // The parent's origin, told the height only when it is one of the municipality's.
  var ancestors = location.ancestorOrigins;
  var parentOrigin = ancestors && ancestors.length ? ancestors[0] : "";
  if (!parentOrigin && d.referrer) { try { parentOrigin = new URL(d.referrer).origin; } catch (e) {} }
  var anyone = allowed.indexOf("*") >= 0;
  var target = parentOrigin && (anyone || parentOrigin === location.origin ||
    allowed.indexOf(parentOrigin) >= 0) ? parentOrigin : null;
  // Whether this frame keeps a SameSite=Lax cookie, as the session cookie is: not when the page
  // around it is on another site.
  d.cookie = "skolportal_embed_probe=1; path=/; SameSite=Lax";
  var crossSite = d.cookie.indexOf("skolportal_embed_probe=1") < 0;
  d.cookie = "skolportal_embed_probe=; path=/; max-age=0; SameSite=Lax";
  if (crossSite) h.setAttribute("data-embed", "cross-site");
  var last = -1;
  function tell() {
    if (!target || !d.body) return;
    var height = Math.ceil(d.body.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    w.parent.postMessage({ type: "skolportal:height", height: height }, target);
  }
  function toTop(url) {
    return url.origin !== location.origin || url.pathname.indexOf("/api/auth/bankid/") === 0 ||
      (crossSite && url.pathname === "/login");
  }
  d.addEventListener("click", function (e) {
    var a = e.target && e.target.closest ? e.target.closest("a[href]") : null;
    if (a && !a.target && toTop(new URL(a.href, location.href))) a.target = "_top";
  }, true);
  d.addEventListener("submit", function (e) {
    var f = e.target;
    if (crossSite && f && f.action && new URL(f.action).pathname.indexOf("/api/auth/") === 0) {
      f.target = "_top";
    }
  }, true);
  d.addEventListener("DOMContentLoaded", function () {
    tell();
    if (w.ResizeObserver) new ResizeObserver(tell).observe(d.body);
    w.addEventListener("load", tell);
  });
})();
