<?cs include:"macros.cs" ?><?cs set:Page.title = "Delete candidates" ?><?cs set:Page.area = "office" ?>
<?cs # bulk_delete.cs: an admin confirms a deletion from the candidate list
     before its job starts. The form repeats the list's in hidden inputs. ?>
<?cs def:content() ?>
<p><a href="/office/candidates?<?cs var:Page.qs ?>">Back to the list</a></p>
<h1>Delete <?cs var:Page.bulk.count ?> candidate<?cs if:!Page.bulk.one ?>s<?cs /if ?>?</h1>
<p class="lead"><?cs if:Page.bulk.scope == "all" ?>Everyone the list's filter matches when the deletion starts goes<?cs else ?>The candidate<?cs if:!Page.bulk.one ?>s<?cs /if ?> you ticked go<?cs if:Page.bulk.one ?>es<?cs /if ?><?cs /if ?>, with their consent ledgers, timelines, mails and CVs. This cannot be undone.</p>
<p>Their addresses are not blocked: they may join the talent community again. When a person asks to be forgotten, use their erasure request instead.</p>
<form method="post" action="/office/bulk/delete"><?cs call:csrf_field() ?><?cs each:h = Page.hidden ?>
  <input type="hidden" name="<?cs var:h.name ?>" value="<?cs var:h.value ?>"><?cs /each ?>
  <input type="hidden" name="action" value="delete">
  <input type="hidden" name="scope" value="<?cs var:Page.bulk.scope ?>"><?cs each:i = Page.bulk.ids ?>
  <input type="hidden" name="id" value="<?cs var:i ?>"><?cs /each ?>
  <button type="submit" class="danger">Delete <?cs var:Page.bulk.count ?> candidate<?cs if:!Page.bulk.one ?>s<?cs /if ?></button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
