<?cs include:"macros.cs" ?><?cs set:Page.title = "Pools" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<h1>Pools</h1>
<p><a href="/office/candidates">Candidates</a></p>
<?cs if:subcount(Page.pools) == 0 ?>
<p class="lead">No pools yet. Make a static pool below, or filter the candidate list and save the filter as a pool.</p>
<?cs else ?>
<div class="table-wrap">
<table class="pools">
  <thead><tr><th scope="col">Pool</th><th scope="col">Kind</th><th scope="col">Members</th></tr></thead>
  <tbody><?cs each:p = Page.pools ?>
    <tr><td><a href="/office/pool?id=<?cs var:url_escape(p.id) ?>"><?cs var:p.name ?></a></td>
      <td><?cs if:p.kind == "dynamic" ?>Saved filter<?cs else ?>Static list<?cs /if ?><?cs if:p.state == "building" ?> <span class="badge">building</span><?cs /if ?></td>
      <td><?cs var:p.count ?></td></tr><?cs /each ?>
  </tbody>
</table>
</div>
<?cs /if ?>
<?cs call:error_summary() ?>
<form method="post" action="/office/pools/new">
  <h2>New static pool</h2><?cs call:csrf_field() ?>
  <?cs call:input_field("name", "Pool name", "text", "off", "80", "1", "A hand-picked list: add people from their profile or from the candidate list.") ?>
  <button type="submit">Create pool</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
