<?cs include:"macros.cs" ?><?cs include:"office/campaign_macros.cs" ?><?cs set:Page.title = "Results" ?><?cs set:Page.area = "office" ?>
<?cs # campaign_stats.cs: per email step and variant, counts and rates of sent; A/B significance. ?>
<?cs def:content() ?>
<p><a href="/office/campaigns">All campaigns</a></p>
<h1>Results: <?cs var:Page.camp.name ?></h1>
<?cs call:camp_tabs("stats") ?><?cs
if:Page.done == "winner" ?>
<p class="notice" role="status">The winner is set: everyone who reaches that step from now on gets it.</p><?cs /if ?>
<dl class="facts">
  <dt>State</dt><dd><?cs call:camp_state(Page.camp.state) ?></dd>
  <dt>Enrolled</dt><dd><?cs var:Page.enrolled ?></dd>
  <dt>In the sequence now</dt><dd><?cs var:Page.active ?></dd>
</dl><?cs
if:!subcount(Page.steps) ?>
<p>No email steps yet, so nothing to count.</p><?cs
/if ?><?cs
each:s = Page.steps ?>
<h2 id="stats-step-<?cs var:s.index ?>">Step <?cs var:s.number ?><?cs if:s.winner ?> <span class="badge">winner: <?cs var:s.winner ?></span><?cs /if ?></h2>
<div class="table-wrap">
<table class="stats">
  <caption>Rates are of the mails sent; opens only count where people allowed tracking.</caption>
  <thead><tr><th scope="col">Variant</th><th scope="col">Sent</th><th scope="col">Delivered</th><th scope="col">Bounced</th><th scope="col">Opened</th><th scope="col">Clicked</th><th scope="col">Replied</th><th scope="col">Unsubscribed</th><th scope="col">Converted</th></tr></thead>
  <tbody><?cs each:v = s.variants ?>
    <tr><th scope="row"><?cs var:v.letter ?> <span class="aside">“<?cs var:v.subject ?>”</span></th>
      <td><?cs var:v.sent ?></td>
      <td><?cs var:v.delivered ?> <span class="aside">(<?cs var:v.delivered_rate ?>)</span></td>
      <td><?cs var:v.bounced ?> <span class="aside">(<?cs var:v.bounced_rate ?>)</span></td>
      <td><?cs var:v.opened ?> <span class="aside">(<?cs var:v.opened_rate ?>)</span></td>
      <td><?cs var:v.clicked ?> <span class="aside">(<?cs var:v.clicked_rate ?>)</span></td>
      <td><?cs var:v.replied ?> <span class="aside">(<?cs var:v.replied_rate ?>)</span></td>
      <td><?cs var:v.unsubscribed ?> <span class="aside">(<?cs var:v.unsubscribed_rate ?>)</span></td>
      <td><?cs var:v.converted ?> <span class="aside">(<?cs var:v.converted_rate ?>)</span></td></tr><?cs /each ?>
  </tbody>
</table>
</div><?cs
if:s.nvariants > 1 ?>
<div class="ab">
  <p>A/B test on <?cs if:s.ab.metric == "reply" ?>replies<?cs else ?>clicks<?cs /if ?>: variant <?cs var:s.ab.leader ?> leads.</p>
  <ul><?cs each:v = s.variants ?><?cs if:v.p ?>
    <li>Against variant <?cs var:v.letter ?>: <?cs if:v.z ?>p = <?cs var:v.p ?> (z = <?cs var:v.z ?>), <?cs if:v.significant ?>significant<?cs else ?>not significant yet<?cs /if ?><?cs else ?><?cs var:v.p ?><?cs /if ?></li><?cs /if ?><?cs /each ?>
  </ul>
  <p><?cs if:s.ab.suggested ?>The test says variant <?cs var:s.ab.suggested ?> is the winner.<?cs else ?>No variant has won yet: it needs enough sends and a significant difference.<?cs /if ?></p>
  <form method="post" action="/office/campaign/winner" class="winner"><?cs call:csrf_field() ?>
    <input type="hidden" name="id" value="<?cs var:Page.camp.id ?>">
    <input type="hidden" name="gen" value="<?cs var:Page.camp.gen ?>">
    <input type="hidden" name="step" value="<?cs var:s.index ?>"><?cs each:v = s.variants ?>
    <button type="submit" name="variant" value="<?cs var:v.index ?>" class="secondary">Declare <?cs var:v.letter ?> the winner</button><?cs /each ?>
  </form>
</div><?cs /if ?><?cs
/each ?>
<?cs /def ?><?cs include:"layout.cs" ?>
