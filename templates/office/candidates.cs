<?cs include:"macros.cs" ?><?cs set:Page.title = "Candidates" ?><?cs set:Page.area = "office" ?>
<?cs def:pager() ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.prev ?><a rel="prev" href="/office/candidates?page=<?cs var:url_escape(Page.prev) ?>">Newer</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?> of <?cs var:Page.pages ?></span>
  <?cs if:Page.next ?><a rel="next" href="/office/candidates?page=<?cs var:url_escape(Page.next) ?>">Older</a><?cs /if ?>
</nav><?cs /def ?>
<?cs def:content() ?>
<h1>Candidates</h1>
<p><a href="/office/mail">Mail sent and waiting</a> · <a href="/office/duplicates">Likely duplicates</a></p>
<?cs if:Page.total == 0 ?>
<p class="lead">No one has joined yet. People who sign up on the talent-community page appear here.</p>
<?cs else ?>
<p class="lead"><?cs var:Page.total ?> candidate<?cs if:Page.total != 1 ?>s<?cs /if ?>, newest first<?cs if:Page.pages > 1 ?> (showing <?cs var:Page.first ?>–<?cs var:Page.last ?>)<?cs /if ?>.</p>
<div class="table-wrap">
<table class="candidates">
  <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Joined</th></tr></thead>
  <tbody><?cs each:c = Page.candidates ?>
    <tr><td><a href="/office/candidate?id=<?cs var:url_escape(c.id) ?>"><?cs var:c.name ?></a></td><td><?cs var:c.email ?></td><td><time datetime="<?cs var:c.joined_iso ?>"><?cs var:c.joined ?></time></td></tr><?cs /each ?>
  </tbody>
</table>
</div>
<?cs if:Page.pages > 1 ?><?cs call:pager() ?><?cs /if ?>
<?cs /if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
