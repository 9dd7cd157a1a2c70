<?cs include:"macros.cs" ?><?cs set:Page.title = "Mail" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/candidates">All candidates</a></p>
<h1>Mail</h1>
<p class="lead">Newest first. A mail the server refused for good is marked failed; one it could not take yet is retried, waiting longer each time.</p><?cs
if:subcount(Page.mails) == 0 ?>
<p>No mail yet.</p><?cs else ?>
<div class="table-wrap">
<table>
  <thead><tr><th scope="col">Queued</th><th scope="col">To</th><th scope="col">Kind</th><th scope="col">State</th><th scope="col">Attempts</th><th scope="col">Sent</th></tr></thead>
  <tbody><?cs each:m = Page.mails ?>
    <tr class="mail-<?cs var:m.state ?>"><td><a href="/office/mail/show?id=<?cs var:url_escape(m.id) ?>"><?cs var:m.when ?></a></td><td><?cs var:m.to ?></td><td><?cs var:m.kind ?></td><td><?cs var:m.state ?></td><td><?cs var:m.attempts ?></td><td><?cs var:m.sent_at ?></td></tr><?cs /each ?>
  </tbody>
</table>
</div><?cs /if ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.prev ?><a rel="prev" href="/office/mail?page=<?cs var:url_escape(Page.prev) ?>">Newer</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?></span>
  <?cs if:Page.next ?><a rel="next" href="/office/mail?page=<?cs var:url_escape(Page.next) ?>">Older</a><?cs /if ?>
</nav>
<?cs /def ?><?cs include:"layout.cs" ?>
