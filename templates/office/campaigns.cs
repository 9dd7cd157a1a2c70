<?cs include:"macros.cs" ?><?cs include:"office/campaign_macros.cs" ?><?cs set:Page.title = "Campaigns" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<h1>Campaigns</h1>
<p class="lead">Sequences of mails and steps that keep people warm. Each one has an audience of pools.</p>
<?cs call:error_summary() ?>
<?cs if:Page.total == 0 ?>
<p>No campaigns yet: make the first one below.</p>
<?cs else ?>
<div class="table-wrap">
<table class="campaigns">
  <caption><?cs var:Page.total ?> campaign<?cs if:Page.total != 1 ?>s<?cs /if ?>, newest first</caption>
  <thead><tr><th scope="col">Name</th><th scope="col">State</th><th scope="col">Audience</th><th scope="col">Enrolled (active)</th><th scope="col">Sent</th><th scope="col">Clicked</th><th scope="col">Replied</th></tr></thead>
  <tbody><?cs each:c = Page.camps ?>
    <tr><td><a href="/office/campaign?id=<?cs var:url_escape(c.id) ?>"><?cs var:c.name ?></a></td>
      <td><?cs call:camp_state(c.state) ?></td>
      <td><?cs each:p = c.pool_names ?><?cs if:!first(p) ?>, <?cs /if ?><?cs var:p ?><?cs /each ?><?cs if:!subcount(c.pool_names) ?><span class="aside">none yet</span><?cs /if ?></td>
      <td><?cs var:c.enrolled ?> (<?cs var:c.active ?>)</td>
      <td><?cs var:c.sent ?></td><td><?cs var:c.clicked ?></td><td><?cs var:c.replied ?></td></tr><?cs /each ?>
  </tbody>
</table>
</div>
<?cs if:Page.pages > 1 ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.prev ?><a rel="prev" href="/office/campaigns?page=<?cs var:url_escape(Page.prev) ?>">Previous</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?> of <?cs var:Page.pages ?></span>
  <?cs if:Page.next ?><a rel="next" href="/office/campaigns?page=<?cs var:url_escape(Page.next) ?>">Next</a><?cs /if ?>
</nav><?cs /if ?>
<?cs /if ?>
<form method="post" action="/office/campaigns/new" novalidate>
  <h2>New campaign</h2><?cs call:csrf_field() ?>
  <?cs call:input_field("name", "Campaign name", "text", "off", "120", "1", "You choose its audience and steps next; it starts as a draft and sends nothing until you start it.") ?>
  <button type="submit">Create the campaign</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
