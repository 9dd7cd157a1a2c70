<?cs include:"macros.cs" ?><?cs set:Page.title = "Likely duplicates" ?><?cs set:Page.area = "office" ?>
<?cs def:person(p, id) ?>
  <a href="/office/candidate?id=<?cs var:url_escape(id) ?>"><?cs if:p.name ?><?cs var:p.name ?><?cs else ?>(no name)<?cs /if ?></a> <small>#<?cs var:id ?></small><br>
  <?cs var:p.email ?><?cs if:p.phone ?><br><?cs var:p.phone ?><?cs /if ?><?cs
  if:p.city || p.country ?><br><?cs var:p.city ?><?cs if:p.city && p.country ?>, <?cs /if ?><?cs var:p.country ?><?cs /if ?><?cs
  if:p.url ?><br><?cs var:p.url ?><?cs /if ?><?cs
  if:p.source ?><br><small>Source: <?cs var:p.source ?></small><?cs /if ?><?cs /def ?>
<?cs def:content() ?>
<p><a href="/office/candidates">All candidates</a></p>
<h1>Likely duplicates</h1>
<p class="lead">Pairs of records that may be one person: the same LinkedIn profile, the same phone number, or the same name in the same city. Compare them and merge, or say they are two people; that is remembered.</p><?cs
if:subcount(Page.pairs) == 0 ?>
<p><?cs if:Page.later ?>No more pairs to review.<?cs else ?>Nothing to review: no two records look like the same person.<?cs /if ?></p><?cs
else ?>
<div class="table-wrap">
<table class="duplicates">
  <thead><tr><th scope="col">One record</th><th scope="col">The other</th><th scope="col">Why</th><th scope="col">What to do</th></tr></thead>
  <tbody><?cs each:r = Page.pairs ?>
    <tr id="pair-<?cs var:r.a ?>-<?cs var:r.b ?>">
      <td><?cs call:person(r.ca, r.a) ?></td>
      <td><?cs call:person(r.cb, r.b) ?></td>
      <td><ul class="reasons"><?cs each:why = r.reasons ?><li><?cs var:why ?></li><?cs /each ?></ul></td>
      <td><a href="/office/merge?a=<?cs var:url_escape(r.a) ?>&amp;b=<?cs var:url_escape(r.b) ?>">Compare and merge</a>
        <form method="post" action="/office/duplicates/dismiss"><?cs call:csrf_field() ?>
          <input type="hidden" name="a" value="<?cs var:r.a ?>">
          <input type="hidden" name="b" value="<?cs var:r.b ?>">
          <button type="submit" class="secondary">Not a duplicate</button>
        </form></td>
    </tr><?cs /each ?>
  </tbody>
</table>
</div><?cs /if ?><?cs
if:Page.next_a ?>
<nav class="pager" aria-label="Pages">
  <a rel="next" href="/office/duplicates?after_a=<?cs var:url_escape(Page.next_a) ?>&amp;after_b=<?cs var:url_escape(Page.next_b) ?>">More pairs</a>
</nav><?cs /if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
