/* mahoraga demo: a repository with a real-looking history, bug reports with
 * stack traces, the real triage on them, and the command center on the result.
 * Everything lives in a new temporary directory; no token, no network. */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "strbuf.h"
#include "worker.h"
#include "xalloc.h"

struct file {
	const char *path, *text;
};

struct step {
	const char *who, *email;
	const char *date;              /* ISO 8601, UTC */
	const char *message;
	struct file files[4];
	const char *rename_from, *rename_to;
};

/* A small shop: Python pricing, a JavaScript front end, Java billing and a Go
 * service; maintainers, a drive-by contributor, a bot, someone who left, a
 * rename, and files only one person knows. */
static const struct step history[] = {
	{ "Ana Lima", "ana@shop.example", "2025-01-06T09:00:00Z", "Pricing and cart", {
		{ "shop/cart.py", "from shop.pricing import price_of\n\n\ndef total(cart):\n    return sum(price_of(i) * i[\"qty\"] for i in cart[\"items\"])\n" },
		{ "shop/pricing.py", "RATES = {\"EUR\": 1.0, \"USD\": 1.08}\n\n\ndef price_of(item):\n    rate = RATES[item[\"currency\"]]\n    return item[\"price\"] * rate\n" },
		{ "README.md", "# shop\n" } }, NULL, NULL },
	{ "Carla Diaz", "carla@shop.example", "2025-02-03T10:00:00Z", "Invoices", {
		{ "billing/src/main/java/shop/billing/Invoice.java", "package shop.billing;\n\npublic class Invoice {\n    private Customer customer;\n\n    public String header() {\n        return customer.getName().toUpperCase();\n    }\n}\n" },
		{ "billing/src/main/java/shop/billing/Tax.java", "package shop.billing;\n\npublic class Tax {\n    public static double rate(String country) {\n        return country.equals(\"DE\") ? 0.19 : 0.2;\n    }\n}\n" } }, NULL, NULL },
	{ "Ben Okafor", "ben@shop.example", "2025-03-10T11:00:00Z", "Stock service", {
		{ "svc/stock/main.go", "package main\n\nimport \"fmt\"\n\ntype Store struct{ items map[string]int }\n\nfunc (s *Store) Count(id string) int {\n\treturn s.items[id]\n}\n\nfunc main() {\n\tvar s *Store\n\tfmt.Println(s.Count(\"a\"))\n}\n" } }, NULL, NULL },
	{ "Dev Patel", "dev@shop.example", "2025-04-02T12:00:00Z", "Checkout page", {
		{ "web/src/api.js", "export async function loadCart(id) {\n  const res = await fetch(`/api/cart/${id}`);\n  const body = await res.json();\n  return body.cart.items;\n}\n" },
		{ "web/package.json", "{ \"name\": \"shop-web\", \"dependencies\": { \"left-pad\": \"1.0.0\" } }\n" } }, NULL, NULL },
	{ "Ana Lima", "ana@shop.example", "2025-05-12T09:30:00Z", "Pricing by currency moves to its own package", {
		{ NULL, NULL } }, "shop/pricing.py", "shop/pricing/rates.py" },
	{ "Ben Okafor", "ben@shop.example", "2025-06-01T08:00:00Z", "Round prices", {
		{ "shop/pricing/rates.py", "RATES = {\"EUR\": 1.0, \"USD\": 1.08}\n\n\ndef price_of(item):\n    rate = RATES[item[\"currency\"]]\n    return round(item[\"price\"] * rate, 2)\n" } }, NULL, NULL },
	{ "dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com", "2025-06-15T03:00:00Z", "Bump left-pad", {
		{ "web/package.json", "{ \"name\": \"shop-web\", \"dependencies\": { \"left-pad\": \"1.3.0\" } }\n" } }, NULL, NULL },
	{ "Dev Patel", "dev@shop.example", "2025-07-20T14:00:00Z", "Empty carts", {
		{ "web/src/api.js", "export async function loadCart(id) {\n  const res = await fetch(`/api/cart/${id}`);\n  const body = await res.json();\n  // an empty cart has no items list\n  return body.cart.items;\n}\n" } }, NULL, NULL },
	{ "Dev Patel", "dev@shop.example", "2025-07-25T10:00:00Z", "Cart API: owners and retries", {
		{ "web/src/api.js", "export async function loadCart(id) {\n  const res = await fetch(`/api/cart/${id}`, { cache: \"no-store\" });\n  const body = await res.json();\n  // an empty cart has no items list\n  return body.cart.items;\n}\n" },
		{ "CODEOWNERS", "web/ dev@shop.example\nsvc/ ben@shop.example\n" } }, NULL, NULL },
	{ "Dev Patel", "dev@shop.example", "2025-08-01T16:00:00Z", "Cart API: log failures", {
		{ "web/src/api.js", "export async function loadCart(id) {\n  const res = await fetch(`/api/cart/${id}`, { cache: \"no-store\" });\n  const body = await res.json();\n  // an empty cart has no items list\n  return body.cart.items;\n}\n\nexport function logFailure(e) {\n  console.error(\"cart\", e);\n}\n" } }, NULL, NULL },
	{ "Ana Lima", "ana@shop.example", "2025-08-04T09:00:00Z", "Cart totals in cents", {
		{ "shop/cart.py", "from shop.pricing.rates import price_of\n\n\ndef total(cart):\n    cents = sum(price_of(i) * 100 * i[\"qty\"] for i in cart[\"items\"])\n    return cents / 100\n" } }, NULL, NULL },
	{ "Ana Lima", "ana@shop.example", "2025-08-08T10:00:00Z", "Pricing: Swiss francs", {
		{ "shop/pricing/rates.py", "RATES = {\"EUR\": 1.0, \"USD\": 1.08, \"CHF\": 0.96}\n\n\ndef price_of(item):\n    rate = RATES[item[\"currency\"]]\n    return round(item[\"price\"] * rate, 2)\n" } }, NULL, NULL },
	{ "Ben Okafor", "ben@shop.example", "2025-08-11T15:00:00Z", "Stock: count reserved items too", {
		{ "svc/stock/main.go", "package main\n\nimport \"fmt\"\n\ntype Store struct{ items map[string]int }\n\nfunc (s *Store) Count(id string) int {\n\treturn s.items[id]\n}\n\nfunc main() {\n\tvar s *Store\n\tfmt.Println(s.Count(\"a\"))\n}\n\nfunc (s *Store) Reserved(id string) int {\n\treturn s.items[id+\":reserved\"]\n}\n" } }, NULL, NULL },
	{ "Ana Lima", "ana@shop.example", "2025-08-14T09:00:00Z", "Pricing: document price_of", {
		{ "shop/pricing/rates.py", "RATES = {\"EUR\": 1.0, \"USD\": 1.08, \"CHF\": 0.96}\n\n\ndef price_of(item):\n    rate = RATES[item[\"currency\"]]\n    return round(item[\"price\"] * rate, 2)\n\n\n# price_of(item) -> the item's price in euros, rounded to cents\n" } }, NULL, NULL },
	{ "Elif Sahin", "elif@shop.example", "2025-08-15T10:00:00Z", "Checkout: pay by card or wallet", {
		{ "web/src/checkout.js", "export function submitOrder(cart, payment) {\n  const total = cart.items.reduce((s, i) => s + i.price * i.qty, 0);\n  if (payment.method === \"card\") {\n    return payment.card.charge(total);\n  }\n  return payment.wallet.pay(total);\n}\n\nexport function refund(order) {\n  return order.payment.refund(order.total);\n}\n" } }, NULL, NULL },
	{ "Femi Adeyemi", "femi@shop.example", "2025-08-16T11:00:00Z", "Tax: Austria", {
		{ "billing/src/main/java/shop/billing/Tax.java", "package shop.billing;\n\npublic class Tax {\n    public static double rate(String country) {\n        return country.equals(\"DE\") || country.equals(\"AT\") ? 0.19 : 0.2;\n    }\n}\n" } }, NULL, NULL },
	{ "Grace Kim", "grace@shop.example", "2025-08-17T12:00:00Z", "Orders service", {
		{ "svc/orders/handler.go", "package orders\n\nimport \"net/http\"\n\ntype Order struct{ Items []string }\n\nfunc first(o *Order) string {\n\treturn o.Items[0]\n}\n\nfunc Handle(w http.ResponseWriter, r *http.Request) {\n\tvar o Order\n\tw.Write([]byte(first(&o)))\n}\n" } }, NULL, NULL },
	{ "Hiro Tanaka", "hiro@shop.example", "2025-08-18T09:00:00Z", "Shipping costs by zone", {
		{ "shop/shipping.py", "ZONES = {\"DE\": 1, \"FR\": 1, \"US\": 3}\n\n\ndef cost(order):\n    zone = ZONES.get(order[\"country\"])\n    return 4.5 * zone\n\n\ndef eta(order):\n    return order[\"carrier\"].days + 1\n" } }, NULL, NULL },
	{ "Ines Costa", "ines@shop.example", "2025-08-19T15:00:00Z", "Search: highlight matches", {
		{ "web/src/search.js", "export function highlight(query, text) {\n  const re = new RegExp(query, \"gi\");\n  return text.replace(re, (m) => `<b>${m}</b>`);\n}\n\nexport function suggest(index, q) {\n  return index.get(q.toLowerCase()).slice(0, 5);\n}\n" } }, NULL, NULL },
};

static const struct file reports[] = {
	{ "101-usd-checkout.md",
	  "Checkout fails for customers paying in GBP\n\nSince the release yesterday, every checkout in GBP fails in production:\n\n"
	  "```\nTraceback (most recent call last):\n  File \"/srv/shop/shop/cart.py\", line 5, in total\n"
	  "    cents = sum(price_of(i) * 100 * i[\"qty\"] for i in cart[\"items\"])\n"
	  "  File \"/srv/shop/shop/cart.py\", line 5, in <genexpr>\n"
	  "  File \"/srv/shop/shop/pricing/rates.py\", line 5, in price_of\n    rate = RATES[item[\"currency\"]]\n"
	  "KeyError: 'GBP'\n```\n" },
	{ "102-cart-page.md",
	  "Cart page is blank for new users\n\nChrome console:\n\n    Uncaught (in promise) TypeError: Cannot read properties of undefined (reading 'items')\n"
	  "        at loadCart (webpack:///./src/api.js:5:20)\n        at async CartPage.componentDidMount (webpack:///./src/CartPage.jsx:12:5)\n" },
	{ "103-invoice-npe.md",
	  "Invoice PDF crashes for guest orders\n\n```\nException in thread \"main\" java.lang.NullPointerException: Cannot invoke \"shop.billing.Customer.getName()\" because \"this.customer\" is null\n"
	  "\tat shop.billing.Invoice.header(Invoice.java:7)\n\tat shop.billing.PdfRenderer.render(PdfRenderer.java:30)\n\tat java.base/java.lang.Thread.run(Thread.java:833)\n```\n" },
	{ "104-stock-panic.md",
	  "stock service crash loop\n\n```\npanic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f2a1]\n\n"
	  "goroutine 1 [running]:\nmain.(*Store).Count(...)\n\t/build/svc/stock/main.go:8\nmain.main()\n\t/build/svc/stock/main.go:13 +0x1d\n```\n" },
	{ "105-usd-checkout-again.md",
	  "Checkout fails for customers paying in GBP\n\nSince the release yesterday, every checkout in GBP fails in production:\n\n"
	  "```\nTraceback (most recent call last):\n  File \"/srv/shop/shop/cart.py\", line 5, in total\n"
	  "    cents = sum(price_of(i) * 100 * i[\"qty\"] for i in cart[\"items\"])\n"
	  "  File \"/srv/shop/shop/cart.py\", line 5, in <genexpr>\n"
	  "  File \"/srv/shop/shop/pricing/rates.py\", line 5, in price_of\n    rate = RATES[item[\"currency\"]]\n"
	  "KeyError: 'GBP'\n```\n" },
	{ "106-dark-mode.md", "Feature request: dark mode\n\nThe checkout page is very bright at night. Could we have a dark theme?\n" },
};

/* The rest of a week: each crash reported by several people in their own words
 * with the same trace (the first is triaged, the rest are its duplicates), and
 * requests with no trace at all. Numbered from 107 on. */
static const struct crash {
	const char *trace;
	const char *titles[5];
} crashes[] = {
	{ "Traceback (most recent call last):\n  File \"/srv/shop/shop/cart.py\", line 5, in total\n"
	  "    cents = sum(price_of(i) * 100 * i[\"qty\"] for i in cart[\"items\"])\n"
	  "  File \"/srv/shop/shop/cart.py\", line 5, in <genexpr>\n"
	  "  File \"/srv/shop/shop/pricing/rates.py\", line 5, in price_of\n    rate = RATES[item[\"currency\"]]\n"
	  "KeyError: 'GBP'\n",
	  { "UK customers cannot check out", "Checkout 500 for carts in pounds", "Currency error at checkout" } },
	{ "Uncaught (in promise) TypeError: Cannot read properties of undefined (reading 'items')\n"
	  "    at loadCart (webpack:///./src/api.js:5:20)\n    at async CartPage.componentDidMount (webpack:///./src/CartPage.jsx:12:5)\n",
	  { "Empty cart crashes the cart page", "White screen after login", "Cart does not load on first visit" } },
	{ "Exception in thread \"main\" java.lang.NullPointerException: Cannot invoke \"shop.billing.Customer.getName()\" because \"this.customer\" is null\n"
	  "\tat shop.billing.Invoice.header(Invoice.java:7)\n\tat shop.billing.PdfRenderer.render(PdfRenderer.java:30)\n\tat java.base/java.lang.Thread.run(Thread.java:833)\n",
	  { "Guest invoices fail to render", "PDF invoice error for orders without an account",
	    "Invoice download broken for guests" } },
	{ "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x48f2a1]\n\n"
	  "goroutine 1 [running]:\nmain.(*Store).Count(...)\n\t/build/svc/stock/main.go:8\nmain.main()\n\t/build/svc/stock/main.go:13 +0x1d\n",
	  { "stock pods restarting every minute", "Stock counts unavailable", "Stock service CrashLoopBackOff" } },
	{ "Uncaught (in promise) TypeError: Cannot read properties of undefined (reading 'charge')\n"
	  "    at submitOrder (webpack:///./src/checkout.js:4:25)\n    at async onPay (webpack:///./src/CheckoutButton.jsx:18:5)\n",
	  { "Pay button does nothing for saved cards", "Card payment throws in the console", "Cannot pay by card",
	    "Checkout stuck on 'Paying...'" } },
	{ "TypeError: Cannot read properties of null (reading 'refund')\n"
	  "    at refund (webpack:///./src/checkout.js:10:24)\n    at RefundDialog.confirm (webpack:///./src/RefundDialog.jsx:33:7)\n",
	  { "Refunds fail for wallet orders", "Refund dialog error", "Support cannot refund order 8812" } },
	{ "panic: runtime error: index out of range [0] with length 0\n\ngoroutine 34 [running]:\n"
	  "shop/svc/orders.first(...)\n\t/build/svc/orders/handler.go:8\n"
	  "shop/svc/orders.Handle({0x9a8e40, 0xc0001c40e0}, 0xc000180000)\n\t/build/svc/orders/handler.go:13 +0x45\n"
	  "net/http.HandlerFunc.ServeHTTP(...)\n\t/usr/local/go/src/net/http/server.go:2136 +0x29\n",
	  { "orders service panics on empty orders", "502 from /orders", "Orders API down for new accounts" } },
	{ "Traceback (most recent call last):\n  File \"/srv/shop/shop/shipping.py\", line 6, in cost\n    return 4.5 * zone\n"
	  "TypeError: unsupported operand type(s) for *: 'float' and 'NoneType'\n",
	  { "Shipping to Spain fails", "No shipping cost for Italy", "Checkout error: shipping", "Cannot ship to NL",
	    "Shipping quote fails for Portugal" } },
	{ "Traceback (most recent call last):\n  File \"/srv/shop/shop/shipping.py\", line 10, in eta\n"
	  "    return order[\"carrier\"].days + 1\nKeyError: 'carrier'\n",
	  { "Delivery estimate missing for pickup orders", "ETA crashes the order page", "Order page error for click and collect" } },
	{ "SyntaxError: Invalid regular expression: /(/gi: Unterminated group\n    at new RegExp (<anonymous>)\n"
	  "    at highlight (webpack:///./src/search.js:2:14)\n    at SearchBox.render (webpack:///./src/SearchBox.jsx:21:9)\n",
	  { "Search breaks when typing a parenthesis", "Searching for 'shirt (blue)' crashes", "Search page goes blank" } },
	{ "TypeError: Cannot read properties of undefined (reading 'slice')\n"
	  "    at suggest (webpack:///./src/search.js:7:34)\n    at SearchBox.onInput (webpack:///./src/SearchBox.jsx:40:18)\n",
	  { "Suggestions crash on unknown words", "Autocomplete error in the console", "Typing 'zz' in search shows an error" } },
	{ "Exception in thread \"main\" java.lang.NullPointerException: Cannot invoke \"String.equals(Object)\" because \"country\" is null\n"
	  "\tat shop.billing.Tax.rate(Tax.java:5)\n\tat shop.billing.Invoice.total(Invoice.java:12)\n"
	  "\tat java.base/java.lang.Thread.run(Thread.java:833)\n",
	  { "Invoices without a country fail", "Tax calculation error on B2B orders", "NPE in Tax.rate" } },
};

static const char *const requests[] = {
	"Please support Apple Pay", "Export orders as CSV", "Question: how are shipping zones chosen?",
	"Typo on the checkout page", "Docs: how to run the stock service locally", "Search is slow on mobile",
	"Add PayPal", "Show prices with VAT in the cart", "Can we get invoices in French?",
	"Newsletter checkbox is pre-ticked", "Dark mode for the admin pages", "Wishlist for logged-out visitors",
	"Add a gift message field", "Remember the last payment method",
};

static const char *const openings[] = {
	"Seen in production this morning:", "A customer wrote to support; the log says:",
	"Happens every time for me:", "From the error tracker, 40 events in the last hour:",
	"Reproduced on staging:",
};

static int write_file(const char *dir, const char *rel, const char *text)
{
	char *p = xasprintf("%s/%s", dir, rel);
	/* the parents of the file */
	for (char *s = p + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	FILE *f = fopen(p, "w");
	int rc = f && fputs(text, f) >= 0 ? 0 : -1;
	if (f && fclose(f) != 0)
		rc = -1;
	free(p);
	return rc;
}

static int64_t iso_time(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	sscanf(s, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (int64_t)timegm(&tm);
}

/* One commit of files (and a rename) by who at when, on top of *parent. */
static int commit_step(git_repository *repo, git_index *index, const char *dir, const struct step *st,
		       int64_t when, git_oid *parent, bool *have_parent)
{
	for (size_t k = 0; k < 4 && st->files[k].path; k++)
		if (write_file(dir, st->files[k].path, st->files[k].text) < 0 ||
		    git_index_add_bypath(index, st->files[k].path) < 0)
			return -1;
	if (st->rename_from) {
		char *from = xasprintf("%s/%s", dir, st->rename_from);
		char *to = xasprintf("%s/%s", dir, st->rename_to);
		char *slash = strrchr(to, '/');
		*slash = '\0';
		mkdir(to, 0755);
		*slash = '/';
		int r = rename(from, to);
		free(from);
		free(to);
		if (r < 0 || git_index_remove_bypath(index, st->rename_from) < 0 ||
		    git_index_add_bypath(index, st->rename_to) < 0)
			return -1;
	}
	git_oid tree_id, commit_id;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_commit *pc = NULL;
	if (git_index_write(index) < 0 || git_index_write_tree(&tree_id, index) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_id) < 0 || git_signature_new(&sig, st->who, st->email, when, 0) < 0 ||
	    (*have_parent && git_commit_lookup(&pc, repo, parent) < 0)) {
		git_tree_free(tree);
		git_signature_free(sig);
		return -1;
	}
	const git_commit *parents[1] = { pc };
	int cr = git_commit_create(&commit_id, repo, "HEAD", sig, sig, NULL, st->message, tree, *have_parent ? 1 : 0,
				   parents);
	git_commit_free(pc);
	git_tree_free(tree);
	git_signature_free(sig);
	if (cr < 0)
		return -1;
	*parent = commit_id;
	*have_parent = true;
	return 0;
}

/* The maintainers' everyday work after the story above: a commit a day each,
 * in their own corner (files no report points at), so the history looks
 * like a team's and the ranking sees who is active. */
#define ROUTINE_DAYS 28
static const struct { const char *who, *email, *path, *prefix, *suffix; } routine[] = {
	{ "Ana Lima", "ana@shop.example", "shop/discounts.py", "DISCOUNT_", "" },
	{ "Ben Okafor", "ben@shop.example", "svc/stock/cache.go", "// cache tuning ", "" },
	{ "Dev Patel", "dev@shop.example", "web/src/format.js", "export const FORMAT_", ";" },
	{ "Elif Sahin", "elif@shop.example", "web/src/theme.js", "export const THEME_", ";" },
	{ "Femi Adeyemi", "femi@shop.example", "billing/src/main/java/shop/billing/Rounding.java", "// rounding rule ", "" },
	{ "Grace Kim", "grace@shop.example", "svc/orders/metrics.go", "// metric ", "" },
	{ "Hiro Tanaka", "hiro@shop.example", "shop/tax_tables.py", "TAX_", "" },
	{ "Ines Costa", "ines@shop.example", "web/src/i18n.js", "export const MSG_", ";" },
};

/* The last days: each owner comes back to the file a report will point at (a
 * line added at its end, so the traces' lines stay where they are), as a team
 * does in a week of work on its own code. */
static const struct { const char *who, *email, *path, *line; } lately[] = {
	{ "Ana Lima", "ana@shop.example", "shop/pricing/rates.py", "# rates reviewed for the autumn sale\n" },
	{ "Dev Patel", "dev@shop.example", "web/src/api.js", "// TODO: retry on 503\n" },
	{ "Ben Okafor", "ben@shop.example", "svc/stock/main.go", "// Count is called by the reservation job\n" },
	{ "Elif Sahin", "elif@shop.example", "web/src/checkout.js", "// wallets: see docs/payments.md\n" },
	{ "Grace Kim", "grace@shop.example", "svc/orders/handler.go", "// Handle is mounted at /orders\n" },
	{ "Hiro Tanaka", "hiro@shop.example", "shop/shipping.py", "# zones from the carrier contract\n" },
	{ "Ines Costa", "ines@shop.example", "web/src/search.js", "// suggest() reads the prefix index\n" },
	{ "Femi Adeyemi", "femi@shop.example", "billing/src/main/java/shop/billing/Tax.java", "// rates: see the tax office's table\n" },
};

/* path's text in dir with line added at its end (NULL if it cannot be read) */
static char *appended(const char *dir, const char *path, const char *line)
{
	char *p = xasprintf("%s/%s", dir, path);
	FILE *f = fopen(p, "r");
	free(p);
	if (!f)
		return NULL;
	strbuf sb = STRBUF_INIT;
	int got = strbuf_read(&sb, f, 1 << 20);
	fclose(f);
	if (got < 0) {
		strbuf_release(&sb);
		return NULL;
	}
	strbuf_addstr(&sb, line);
	return strbuf_detach(&sb);
}

/* The history, committed with libgit2 so that the authors and dates are ours.
 * The dates keep their spacing but move so that the last commit was yesterday:
 * the demo's history is as recent on any day it runs, and recency counts in
 * who knows the code. */
static int build_repo(const char *dir)
{
	const size_t n = sizeof(history) / sizeof(*history);
	int64_t shift = (int64_t)time(NULL) - (ROUTINE_DAYS + 1) * 86400 - iso_time(history[n - 1].date);
	git_repository *repo = NULL;
	if (git_repository_init(&repo, dir, 0) < 0)
		return -1;
	int rc = -1;
	git_index *index = NULL;
	if (git_repository_index(&index, repo) < 0)
		goto out;
	git_oid parent;
	bool have_parent = false;
	for (size_t i = 0; i < n; i++)
		if (commit_step(repo, index, dir, &history[i], iso_time(history[i].date) + shift, &parent,
				&have_parent) < 0)
			goto out;
	int64_t last = iso_time(history[n - 1].date) + shift;
	strbuf text[sizeof(routine) / sizeof(*routine)];
	for (size_t r = 0; r < sizeof(routine) / sizeof(*routine); r++)
		strbuf_init(&text[r]);
	const size_t nr = sizeof(routine) / sizeof(*routine);
	for (size_t i = 0; i < ROUTINE_DAYS * nr; i++) {
		/* each maintainer every day, in turn */
		int day = (int)(i / nr) + 1;
		size_t r = i % nr;
		strbuf_addf(&text[r], "%s%d = %d%s\n", routine[r].prefix, day, day * 7, routine[r].suffix);
		char msg[64];
		snprintf(msg, sizeof(msg), "Routine work, day %d", day);
		struct step st = { routine[r].who, routine[r].email, NULL, msg,
				   { { routine[r].path, text[r].buf } }, NULL, NULL };
		if (commit_step(repo, index, dir, &st, last + day * 86400 - 3600 * (int64_t)(nr - r), &parent,
				&have_parent) < 0) {
			for (size_t k = 0; k < nr; k++)
				strbuf_release(&text[k]);
			goto out;
		}
	}
	for (size_t k = 0; k < sizeof(routine) / sizeof(*routine); k++)
		strbuf_release(&text[k]);
	/* in the last day, before the reports came in */
	int64_t now = last + (ROUTINE_DAYS + 1) * 86400;
	for (size_t i = 0; i < sizeof(lately) / sizeof(*lately); i++) {
		char *t = appended(dir, lately[i].path, lately[i].line);
		struct step st = { lately[i].who, lately[i].email, NULL, "Small fixes", { { lately[i].path, t } },
				   NULL, NULL };
		int r = t ? commit_step(repo, index, dir, &st, now - 20 * 3600 + (int64_t)i * 1800, &parent,
					&have_parent) : -1;
		free(t);
		if (r < 0)
			goto out;
	}
	rc = 0;
out:
	git_index_free(index);
	git_repository_free(repo);
	return rc;
}

/* The people's own decisions: accepted, reassigned with a reason, sent to a
 * human, recorded as the command center records them (by issue number). */
static const struct { int number; const char *kind, *to, *reason; } acts[] = {
	{ 102, "accept", NULL, NULL },
	{ 104, "accept", NULL, NULL },
	{ 128, "reassign", "dev@shop.example", "Dev wrote the payment client the refund calls" },
	{ 132, "accept", NULL, NULL },
	{ 142, "reassign", "ana@shop.example", "Ana negotiated the carrier contract" },
	{ 146, "accept", NULL, NULL },
	{ 154, "human", NULL, "the tax advisor has to say which rate applies" },
};

static int people_act(const struct app *demo)
{
	store *s = NULL;
	int rc = app_open_store(demo, &s);
	if (rc != EXIT_DONE)
		return rc;
	store_feed feed;
	if (store_feed_list(s, 1000, &feed) < 0) {
		app_error("%s", store_error(s));
		store_close(s);
		return EXIT_IO;
	}
	for (size_t a = 0; a < sizeof(acts) / sizeof(*acts) && rc == EXIT_DONE; a++)
		for (size_t i = 0; i < feed.n; i++) {
			if (feed.v[i].number != acts[a].number)
				continue;
			store_manual m;
			store_manual_init(&m);
			m.issue_id = feed.v[i].issue_id;
			m.kind = xstrdup(acts[a].kind);
			m.assignee_email = acts[a].to ? xstrdup(acts[a].to) : NULL;
			m.reason = acts[a].reason ? xstrdup(acts[a].reason) : NULL;
			if (store_manual_add(s, &m) < 0) {
				app_error("%s", store_error(s));
				rc = EXIT_IO;
			}
			store_manual_free(&m);
		}
	store_feed_free(&feed);
	store_close(s);
	return rc;
}

static const char demo_usage[] =
	"usage: mahoraga demo\n\n"
	"Builds, in a new temporary directory, a repository with a real-looking history and\n"
	"bug reports with stack traces, triages them with the real engine, and opens the\n"
	"command center on the result (without a terminal, prints the decisions). No token,\n"
	"no network.\n";

int cmd_demo(const struct app *app, int argc, char **argv)
{
	int rc = app_parse("demo", demo_usage, argc, argv, NULL, NULL, 0, NULL);
	if (rc >= 0)
		return rc;
	const char *tmp = getenv("TMPDIR");
	char *dir = xasprintf("%s/mahoraga-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		app_error("%s: cannot create the demo directory", dir);
		free(dir);
		return EXIT_IO;
	}
	char *repo = xasprintf("%s/shop", dir), *inbox = xasprintf("%s/inbox", dir);
	char *cfg_path = xasprintf("%s/config", dir), *db = xasprintf("%s/mahoraga.db", dir);
	rc = EXIT_DONE;
	git_libgit2_init();
	if (mkdir(repo, 0755) < 0 || mkdir(inbox, 0755) < 0 || build_repo(repo) < 0) {
		const git_error *e = git_error_last();
		app_error("%s: building the demo repository failed: %s", repo, e && e->message ? e->message : "?");
		rc = EXIT_IO;
	}
	for (size_t i = 0; rc == EXIT_DONE && i < sizeof(reports) / sizeof(*reports); i++)
		if (write_file(inbox, reports[i].path, reports[i].text) < 0)
			rc = EXIT_IO;
	/* each crash with its repeats, then a request, as a week's inbox fills */
	size_t nreports = sizeof(reports) / sizeof(*reports);
	const size_t ncrash = sizeof(crashes) / sizeof(*crashes), nreq = sizeof(requests) / sizeof(*requests);
	for (size_t k = 0; rc == EXIT_DONE && (k < ncrash || k < nreq); k++) {
		char name[32];
		for (size_t t = 0; rc == EXIT_DONE && k < ncrash && t < 5 && crashes[k].titles[t]; t++) {
			snprintf(name, sizeof(name), "%zu-crash.md", 101 + nreports);
			char *text = xasprintf("%s\n\n%s\n\n```\n%s```\n", crashes[k].titles[t],
					       openings[nreports % (sizeof(openings) / sizeof(*openings))], crashes[k].trace);
			rc = write_file(inbox, name, text) < 0 ? EXIT_IO : rc;
			free(text);
			nreports++;
		}
		if (rc == EXIT_DONE && k < nreq) {
			snprintf(name, sizeof(name), "%zu-request.md", 101 + nreports++);
			char *text = xasprintf("%s\n\nIt would help our customers a lot.\n", requests[k]);
			rc = write_file(inbox, name, text) < 0 ? EXIT_IO : rc;
			free(text);
		}
	}
	char *cfg_text = xasprintf("# the demo's settings\n[repo \"demo/shop\"]\n\tpath = %s\n\tinbox = %s\n", repo, inbox);
	if (rc == EXIT_DONE && write_file(dir, "config", cfg_text) < 0)
		rc = EXIT_IO;
	free(cfg_text);
	struct app demo = *app;
	demo.config_path = cfg_path;
	demo.db_path = db;
	/* the team; Carla left the company, and the users table says so */
	static const struct { const char *name, *login, *email; int active; } team[] = {
		{ "Ana Lima", "analima", "ana@shop.example", 1 },
		{ "Ben Okafor", "bokafor", "ben@shop.example", 1 },
		{ "Carla Diaz", "cdiaz", "carla@shop.example", 0 },
		{ "Dev Patel", "devpatel", "dev@shop.example", 1 },
		{ "Elif Sahin", "elifs", "elif@shop.example", 1 },
		{ "Femi Adeyemi", "femia", "femi@shop.example", 1 },
		{ "Grace Kim", "gracek", "grace@shop.example", 1 },
		{ "Hiro Tanaka", "hirot", "hiro@shop.example", 1 },
		{ "Ines Costa", "inesc", "ines@shop.example", 1 },
	};
	store *s = NULL;
	if (rc == EXIT_DONE && (rc = app_open_store(&demo, &s)) == EXIT_DONE) {
		for (size_t i = 0; i < sizeof(team) / sizeof(*team) && rc == EXIT_DONE; i++) {
			store_user u;
			store_user_init(&u);
			u.display_name = xstrdup(team[i].name);
			u.login = xstrdup(team[i].login);
			u.active = team[i].active;
			store_user_add_email(&u, team[i].email);
			if (store_user_save(s, &u) < 0) {
				app_error("%s", store_error(s));
				rc = EXIT_IO;
			}
			store_user_free(&u);
		}
		store_close(s);
	}
	bool tty = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	if (rc == EXIT_DONE) {
		printf("demo: a repository with %zu commits in %s, %zu bug reports in %s\n",
		       sizeof(history) / sizeof(*history) + ROUTINE_DAYS * sizeof(routine) / sizeof(*routine), repo,
		       nreports, inbox);
		worker_report rep;
		rc = worker_cycle(&demo, &rep, stdout);
		/* what the team did with the decisions during the week, applied by
		 * the worker as the screen's keys would have it */
		if (rc == EXIT_DONE && (rc = people_act(&demo)) == EXIT_DONE)
			rc = worker_cycle(&demo, &rep, stdout);
		if (rc == EXIT_DONE && tty)
			rc = cmd_ui(&demo, 0, NULL) < 0 ? EXIT_DONE : rc;
		printf("the demo is in %s (remove it with: rm -r %s)\n", dir, dir);
		printf("open it again:  mahoraga --config %s --db %s\n", cfg_path, db);
		printf("a wall on it:   mahoraga --db %s wall\n", db);
	}
	git_libgit2_shutdown();
	free(repo);
	free(inbox);
	free(cfg_path);
	free(db);
	free(dir);
	return rc;
}
