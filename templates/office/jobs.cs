<?cs include:"macros.cs" ?><?cs set:Page.title = "Jobs" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/candidates">All candidates</a></p>
<h1>Jobs</h1>
<p class="lead"><?cs if:Page.everyone ?>Imports and other work that runs in the background, newest first.<?cs else ?>The imports and other background work you started, newest first.<?cs /if ?></p><?cs
if:subcount(Page.jobs) == 0 ?>
<p>No jobs yet.</p><?cs else ?>
<div class="table-wrap">
<table>
  <thead><tr><th scope="col">Job</th><th scope="col">State</th><th scope="col">Progress</th><th scope="col">Queued</th><?cs if:Page.everyone ?><th scope="col">Started by</th><?cs /if ?></tr></thead>
  <tbody><?cs each:j = Page.jobs ?>
    <tr class="job-<?cs var:j.state ?>"><td><a href="/office/job?id=<?cs var:url_escape(j.id) ?>"><?cs var:j.kind ?> <?cs var:j.id ?><?cs if:j.title ?>: <?cs var:j.title ?><?cs /if ?></a></td><td><?cs var:j.state_label ?></td><td><?cs var:j.progress ?></td><td><?cs var:j.created ?></td><?cs if:Page.everyone ?><td><?cs var:j.user_email ?></td><?cs /if ?></tr><?cs /each ?>
  </tbody>
</table>
</div><?cs /if ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.prev ?><a rel="prev" href="/office/jobs?page=<?cs var:url_escape(Page.prev) ?>">Newer</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?></span>
  <?cs if:Page.next ?><a rel="next" href="/office/jobs?page=<?cs var:url_escape(Page.next) ?>">Older</a><?cs /if ?>
</nav>
<?cs /def ?><?cs include:"layout.cs" ?>
