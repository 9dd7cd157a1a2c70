<?cs include:"macros.cs" ?><?cs include:"office/campaign_macros.cs" ?><?cs set:Page.title = "People" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/campaigns">All campaigns</a></p>
<h1>People in <?cs var:Page.camp.name ?></h1>
<?cs call:camp_tabs("members") ?><?cs
if:Page.done == "unenrol" ?>
<p class="notice" role="status">They are out of the campaign: nothing more is sent to them from it.</p><?cs /if ?>
<p>Add people one by one from their profile (“Add to a campaign”), or everyone a filter finds from the <a href="/office/candidates">candidate list</a>.</p><?cs
if:Page.total == 0 ?>
<p>No one is in this campaign yet.</p><?cs
else ?>
<div class="table-wrap">
<table class="members">
  <caption><?cs var:Page.total ?> <?cs if:Page.total == 1 ?>person<?cs else ?>people<?cs /if ?></caption>
  <thead><tr><th scope="col">Who</th><th scope="col">State</th><th scope="col">Step</th><th scope="col">Next step due</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody><?cs each:m = Page.members ?>
    <tr><td><a href="/office/candidate?id=<?cs var:url_escape(m.cand) ?>#campaigns"><?cs var:m.name ?></a></td>
      <td><?cs call:enrol_state(m.state) ?><?cs if:m.why_text ?>: <?cs var:m.why_text ?><?cs elif:m.why ?>: <?cs call:why_words(m.why) ?><?cs /if ?></td>
      <td><?cs if:m.state == "active" ?><?cs var:m.step_number ?> of <?cs var:m.nsteps ?><?cs else ?>–<?cs /if ?></td>
      <td><?cs if:m.state == "active" ?><?cs var:m.due ?><?cs else ?>–<?cs /if ?></td>
      <td><?cs if:m.state == "active" ?><form method="post" action="/office/campaign/unenrol" class="inline"><?cs call:csrf_field() ?>
        <input type="hidden" name="camp" value="<?cs var:Page.camp.id ?>">
        <input type="hidden" name="cand" value="<?cs var:m.cand ?>">
        <input type="hidden" name="back" value="members">
        <button type="submit" class="secondary">Take out<span class="visually-hidden"> <?cs var:m.name ?></span></button>
      </form><?cs /if ?></td></tr><?cs /each ?>
  </tbody>
</table>
</div><?cs
if:Page.pages > 1 ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.prev ?><a rel="prev" href="/office/campaign/members?id=<?cs var:url_escape(Page.camp.id) ?>&amp;page=<?cs var:url_escape(Page.prev) ?>">Previous</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?> of <?cs var:Page.pages ?></span>
  <?cs if:Page.next ?><a rel="next" href="/office/campaign/members?id=<?cs var:url_escape(Page.camp.id) ?>&amp;page=<?cs var:url_escape(Page.next) ?>">Next</a><?cs /if ?>
</nav><?cs /if ?><?cs
/if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
