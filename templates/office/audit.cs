<?cs include:"macros.cs" ?><?cs set:Page.title = "Audit log" ?><?cs set:Page.area = "office" ?>
<?cs def:page_link(n) ?>/office/audit?<?cs if:Page.query ?><?cs var:Page.query ?>&amp;<?cs /if ?>page=<?cs var:url_escape(n) ?><?cs /def ?>
<?cs def:pager() ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.prev ?><a rel="prev" href="<?cs call:page_link(Page.prev) ?>">Newer</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?></span>
  <?cs if:Page.next ?><a rel="next" href="<?cs call:page_link(Page.next) ?>">Older</a><?cs /if ?>
</nav><?cs /def ?>
<?cs def:content() ?>
<h1>Audit log</h1>
<p class="lead">Sign-ins, failed sign-ins, views, edits, exports, merges, deletions and user changes: who, when, from where. Newest first; nothing here can be changed or removed.</p>
<?cs call:error_summary() ?>
<form method="get" action="/office/audit" novalidate class="filters" role="search">
  <div class="field<?cs if:Form.user.error ?> has-error<?cs /if ?>">
    <label for="user">User</label>
    <select<?cs call:input_attrs("user", "") ?>>
      <option value="">Anyone</option><?cs each:u = Page.users ?>
      <option value="<?cs var:u.id ?>"<?cs if:Form.user.value == u.id ?> selected<?cs /if ?>><?cs var:u.email ?></option><?cs /each ?>
    </select><?cs call:field_error("user") ?>
  </div>
  <div class="field<?cs if:Form.action.error ?> has-error<?cs /if ?>">
    <label for="action">Action</label>
    <select<?cs call:input_attrs("action", "") ?>>
      <option value="">Any</option><?cs each:a = Page.actions ?>
      <option value="<?cs var:a ?>"<?cs if:Form.action.value == a ?> selected<?cs /if ?>><?cs var:a ?></option><?cs /each ?>
    </select><?cs call:field_error("action") ?>
  </div><?cs
  call:input_field("cand", "Candidate number", "text", "off", "20", "", "The number in the address of the candidate's page.") ?><?cs
  call:input_field("from", "From", "text", "off", "10", "", "A date, like 2026-11-01.") ?><?cs
  call:input_field("to", "To", "text", "off", "10", "", "The last day to include, like 2026-11-30.") ?>
  <button type="submit">Show</button>
</form>
<?cs if:Page.count == 0 ?>
<p>No entries<?cs if:Page.query ?> match these filters<?cs /if ?><?cs if:Page.page > 1 ?> on this page<?cs /if ?>.</p><?cs
else ?>
<div class="table-wrap">
<table class="audit">
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">From</th><th scope="col">Action</th><th scope="col">Candidate</th><th scope="col">Details</th></tr></thead>
  <tbody><?cs each:e = Page.entries ?>
    <tr><td><time datetime="<?cs var:e.when_iso ?>"><?cs var:e.when ?></time></td><td><?cs if:e.user ?><?cs var:e.user ?><?cs elif:e.ip ?>nobody signed in<?cs else ?>hearthctl or the worker<?cs /if ?></td><td><?cs var:e.ip ?></td><td><?cs var:e.action ?></td><td><?cs if:e.cand ?><a href="/office/candidate?id=<?cs var:url_escape(e.cand) ?>"><?cs var:e.cand ?></a><?cs /if ?></td><td><?cs var:e.detail ?><?cs if:subcount(e.explain.parts) ?>
      <details class="explain"><summary>The reasons shown: score <?cs var:e.explain.score ?></summary>
        <ul><?cs each:p = e.explain.parts ?><li><?cs var:p.part ?>: <?cs var:p.points ?> of <?cs var:p.max ?>. <?cs var:p.text ?></li><?cs /each ?></ul>
      </details><?cs /if ?></td></tr><?cs /each ?>
  </tbody>
</table>
</div><?cs /if ?><?cs
if:Page.stopped ?>
<p class="notice">This page looked through the log back to <?cs var:Page.stopped ?> and stopped there. To look further back, set "To" to an earlier date.</p><?cs /if ?>
<?cs if:Page.prev || Page.next ?><?cs call:pager() ?><?cs /if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
