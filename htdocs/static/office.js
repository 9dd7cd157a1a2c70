/* office.js: the candidate list's "select all on this page" ticks every row as it is ticked.
   The form works without it: the server reads "all on this page" by itself. */
document.addEventListener("DOMContentLoaded", function () {
	var all = document.getElementById("select-all");
	var rows = document.querySelectorAll("input.select-row");

	if (!all)
		return;
	all.addEventListener("change", function () {
		rows.forEach(function (r) { r.checked = all.checked; });
	});
	rows.forEach(function (r) {
		r.addEventListener("change", function () {
			if (!r.checked)
				all.checked = false;
		});
	});
});
