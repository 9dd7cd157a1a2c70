<?cs include:"macros.cs" ?><?cs set:Page.title = Page.pool.name ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<h1><?cs var:Page.pool.name ?></h1>
<p><a href="/office/pools">All pools</a></p>
<p class="lead"><?cs var:Page.pool.count ?> member<?cs if:Page.pool.count != 1 ?>s<?cs /if ?>.
<?cs if:Page.pool.kind == "dynamic" ?>A saved filter: people join and leave as their records change.<?cs else ?>A static list, picked by hand.<?cs /if ?></p>
<?cs if:Page.pool.state == "building" ?>
<p class="notice" role="status">This pool is being filled from the existing candidates in the background; the count grows until it is done. Reload to see progress.</p>
<?cs /if ?>
<?cs if:subcount(Page.conditions) ?>
<h2>Filter</h2>
<dl class="facts"><?cs each:c = Page.conditions ?>
  <dt><?cs var:c.label ?></dt><dd><?cs var:c.value ?></dd><?cs /each ?>
</dl><?cs /if ?>
<?cs if:subcount(Page.members) ?>
<h2>Members, newest first</h2>
<ul class="members"><?cs each:m = Page.members ?>
  <li><a href="/office/candidate?id=<?cs var:url_escape(m.id) ?>"><?cs if:m.name ?><?cs var:m.name ?><?cs else ?><?cs var:m.email ?><?cs /if ?></a> <span class="aside"><?cs var:m.title ?></span></li><?cs /each ?>
</ul>
<?cs if:Page.pages > 1 ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.prev ?><a rel="prev" href="/office/pool?id=<?cs var:url_escape(Page.pool.id) ?>&amp;page=<?cs var:url_escape(Page.prev) ?>">Previous</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?> of <?cs var:Page.pages ?></span>
  <?cs if:Page.next ?><a rel="next" href="/office/pool?id=<?cs var:url_escape(Page.pool.id) ?>&amp;page=<?cs var:url_escape(Page.next) ?>">Next</a><?cs /if ?>
</nav><?cs /if ?>
<?cs /if ?>
<?cs if:Page.can_delete ?>
<form method="post" action="/office/pool/delete">
  <h2>Delete this pool</h2>
  <p class="hint">The people in it stay; only the pool goes.</p><?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.pool.id ?>">
  <button type="submit" class="danger">Delete the pool</button>
</form><?cs /if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
