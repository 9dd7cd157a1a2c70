<?cs include:"macros.cs" ?><?cs set:Page.title = "Merged" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/duplicates">Likely duplicates</a></p>
<h1>Merged</h1><?cs
if:Page.conflict ?>
<div class="error-summary" role="alert">
  <h2>The merge was not undone</h2>
  <p id="conflict"><?cs var:Page.conflict ?></p>
</div><?cs /if ?><?cs
if:Page.merge.a ?>
<p class="lead"><?cs var:Page.merge.b_name ?> (#<?cs var:Page.merge.b ?><?cs if:Page.merge.b_email ?>, <?cs var:Page.merge.b_email ?><?cs /if ?>) was merged into <a href="/office/candidate?id=<?cs var:url_escape(Page.merge.a) ?>"><?cs var:Page.merge.a_name ?> (#<?cs var:Page.merge.a ?>)</a> on <?cs var:Page.merge.when ?>.</p>
<p>Undoing it brings both records back as they were before, with their consent ledgers, mail and pairs, as long as the merged record has not been changed since. It can be undone until <?cs var:Page.merge.until ?>.</p><?cs
/if ?>
<form method="post" action="/office/merge/undo"><?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.id ?>">
  <button type="submit" class="secondary">Undo this merge</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
