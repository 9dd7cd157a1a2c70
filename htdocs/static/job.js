/* job.js: a running job's page follows the job in place. Every few seconds it fetches
   itself again and copies the new state and progress into the page (the progress text
   is a status region: screen readers announce it without losing their place); once the
   job is over it loads the whole page, with its result. Without this script the page
   offers a link that reloads it instead. */
(function () {
	"use strict";
	var live = document.querySelector("[data-job-live]");

	if (!live || !window.fetch || !window.DOMParser)
		return;
	var every = 1000 * (parseInt(live.getAttribute("data-job-live"), 10) || 2);

	function copy(from, id) {
		var now = document.getElementById(id), next = from.getElementById(id);

		if (!now || !next)
			return;
		if (now.textContent !== next.textContent)
			now.textContent = next.textContent;
		if (next.className)
			now.className = next.className;
		["max", "value"].forEach(function (a) {
			if (next.hasAttribute(a))
				now.setAttribute(a, next.getAttribute(a));
		});
	}

	function follow() {
		fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
			.then(function (r) {
				if (!r.ok)
					throw new Error(r.status);
				return r.text();
			})
			.then(function (html) {
				var doc = new DOMParser().parseFromString(html, "text/html");

				if (!doc.querySelector("[data-job-live]")) {
					window.location.reload();
					return;
				}
				["job-state", "job-progress", "job-progress-text"].forEach(function (id) {
					copy(doc, id);
				});
				window.setTimeout(follow, every);
			})
			.catch(function () {
				window.setTimeout(follow, every * 2);	/* busy: a little later */
			});
	}
	window.setTimeout(follow, every);
}());
