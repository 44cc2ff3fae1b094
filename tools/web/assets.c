/*
 * assets.c - the two static files of the web server: the stylesheet and the
 * one script (which only enlarges a page image in place when it is clicked;
 * every page works without it), served from memory with no login, and the
 * favicon that is not there.
 */
#include "web_private.h"

static const char app_js[] =
	"/* kartoteka: the page image beside its text; click a page to see it full size. */\n"
	"document.addEventListener('click', function (e) {\n"
	"  var a = e.target.closest ? e.target.closest('a.zoom') : null;\n"
	"  if (!a) return;\n"
	"  var img = a.querySelector('img');\n"
	"  if (!img || !img.dataset.full) return;\n"
	"  e.preventDefault();\n"
	"  var big = a.classList.toggle('big');\n"
	"  if (big && img.src.indexOf('size=full') < 0) img.src = img.dataset.full;\n"
	"});\n";

static const char style_css[] =
	"body{font-family:system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fafafa}"
	"header{display:flex;justify-content:space-between;align-items:center;padding:.5em 1em;"
	"background:#243b55;color:#fff}header a{color:#fff;margin-left:1em}"
	"header form{margin:0}.who{margin-right:.5em}main{padding:1em 2em}"
	"mark{background:#ffe066}.error{color:#a00}pre.text{white-space:pre-wrap;flex:1;"
	"background:#fff;border:1px solid #ddd;padding:.5em;margin:0}"
	".page{display:flex;gap:1em;align-items:flex-start;flex-wrap:wrap}.page h2{width:100%}"
	"figure{margin:0}figure img{border:1px solid #ccc;max-width:240px}"
	"a.zoom.big img{max-width:100%}a.zoom.big{flex-basis:100%}"
	".results{display:flex;gap:2em}.facets{min-width:12em}.facets ul{list-style:none;padding:0}"
	".count{color:#666}.hit{margin-bottom:1em}.source,.type{color:#555}"
	"table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25em .5em;"
	"text-align:left}tr.failure td{color:#a00}dl.meta{display:grid;grid-template-columns:"
	"max-content auto;gap:.2em 1em}dl.meta dd{margin:0}.mono{font-family:monospace}"
	"form.login{display:flex;flex-direction:column;max-width:20em;gap:.5em}"
	"form.login label{display:flex;flex-direction:column}"
	"form.decide{display:inline-block;margin:0 .25em .25em 0}"
	"form.add{display:flex;flex-wrap:wrap;gap:.5em;align-items:end;margin-bottom:1em}";

int route_app_js(web_req *r, const web_params *p)
{
	(void)p;
	return web_send(r, 200, "text/javascript; charset=utf-8", app_js, sizeof app_js - 1, NULL,
			NULL, NULL);
}

int route_style_css(web_req *r, const web_params *p)
{
	(void)p;
	return web_send(r, 200, "text/css; charset=utf-8", style_css, sizeof style_css - 1, NULL, NULL,
			NULL);
}

int route_favicon(web_req *r, const web_params *p)
{
	(void)p;
	return web_send(r, 404, "text/plain; charset=utf-8", "", 0, NULL, NULL, NULL);
}
