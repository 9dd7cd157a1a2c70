<?cs include:"macros.cs" ?><?cs include:"office/role_macros.cs" ?><?cs set:Page.title = "Pipeline: " + Page.role.title ?><?cs set:Page.area = "office" ?>
<?cs # role_pipeline.cs: the role's pipeline as a board (a column per stage) or a paged list; moves work without JavaScript. ?>
<?cs def:move_form(e) ?><?cs if:!Page.manager ?>
<form method="post" action="/office/role/move" class="inline move"><?cs call:csrf_field() ?>
  <input type="hidden" name="role" value="<?cs var:Page.role.id ?>">
  <input type="hidden" name="cand" value="<?cs var:e.cand ?>">
  <input type="hidden" name="view" value="<?cs var:Page.view ?>">
<?cs if:#Page.error_cand == #e.cand ?><?cs set:sid = "stage" ?><?cs else ?><?cs set:sid = "stage-" + e.cand ?><?cs /if ?>
  <label for="<?cs var:sid ?>">Stage<span class="visually-hidden"> of <?cs var:e.name ?></span></label>
  <select id="<?cs var:sid ?>" name="stage"<?cs if:#Page.error_cand == #e.cand ?> aria-invalid="true" aria-describedby="stage-error" autofocus<?cs /if ?>><?cs each:s = Page.stages ?>
    <option value="<?cs var:s.name ?>"<?cs if:s.name == e.stage ?> selected<?cs /if ?>><?cs var:s.label ?></option><?cs /each ?>
  </select>
  <button type="submit" class="secondary">Move<span class="visually-hidden"> <?cs var:e.name ?></span></button><?cs
  if:#Page.error_cand == #e.cand ?><?cs call:field_error("stage") ?><?cs /if ?>
</form><?cs /if ?><?cs /def ?>
<?cs def:content() ?>
<p><a href="<?cs if:Page.manager ?>/office/<?cs else ?>/office/roles<?cs /if ?>">All <?cs if:Page.manager ?>your <?cs /if ?>roles</a></p>
<h1>Pipeline: <?cs var:Page.role.title ?></h1>
<?cs call:role_tabs("pipeline") ?>
<?cs call:error_summary() ?><?cs
if:Page.done == "moved" ?>
<p class="notice" role="status">They are moved; their timeline says who moved them and when.</p><?cs /if ?>
<nav class="tabs" aria-label="How to show the pipeline"><ul>
  <li><a href="/office/role/pipeline?id=<?cs var:url_escape(Page.role.id) ?>&amp;view=board"<?cs if:Page.view == "board" ?> aria-current="page"<?cs /if ?>>Board</a></li>
  <li><a href="/office/role/pipeline?id=<?cs var:url_escape(Page.role.id) ?>&amp;view=list"<?cs if:Page.view == "list" ?> aria-current="page"<?cs /if ?>>List</a></li>
</ul></nav><?cs
if:Page.total == 0 ?>
<p>No one is in this pipeline yet.<?cs if:!Page.manager ?> Shortlist people from the <a href="/office/role/matches?id=<?cs var:url_escape(Page.role.id) ?>">ranking</a>.<?cs /if ?></p><?cs
elif:Page.view == "board" ?><?cs
  if:Page.board_max ?>
<p class="notice">The board shows the first <?cs var:Page.board_max ?> of <?cs var:Page.total ?> people: the list shows them all.</p><?cs /if ?>
<div class="board"><?cs each:s = Page.stages ?>
  <section class="column" aria-labelledby="col-<?cs var:s.name ?>">
    <h2 id="col-<?cs var:s.name ?>"><?cs var:s.label ?> <span class="count">(<?cs var:s.count ?>)</span></h2><?cs
    if:s.count > 0 ?>
    <ul><?cs each:e = s.people ?>
      <li id="cand-<?cs var:e.cand ?>"><a href="/office/candidate?id=<?cs var:url_escape(e.cand) ?>"><?cs var:e.name ?></a>
        <p class="aside">since <?cs var:e.when ?></p><?cs call:move_form(e) ?></li><?cs /each ?>
    </ul><?cs /if ?>
  </section><?cs /each ?>
</div><?cs
else ?>
<div class="table-wrap">
<table class="pipeline">
  <caption><?cs var:Page.total ?> <?cs if:Page.total == 1 ?>person<?cs else ?>people<?cs /if ?>, by stage, latest move first</caption>
  <thead><tr><th scope="col">Name</th><th scope="col">Stage</th><th scope="col">Since</th><?cs if:!Page.manager ?><th scope="col">Move to</th><?cs /if ?></tr></thead>
  <tbody><?cs each:e = Page.people ?>
    <tr id="cand-<?cs var:e.cand ?>"><td><a href="/office/candidate?id=<?cs var:url_escape(e.cand) ?>"><?cs var:e.name ?></a></td>
      <td><?cs var:e.stage_label ?></td><td><?cs var:e.when ?></td><?cs
      if:!Page.manager ?><td><?cs call:move_form(e) ?></td><?cs /if ?></tr><?cs /each ?>
  </tbody>
</table>
</div><?cs
  if:Page.pages > 1 ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.prev ?><a rel="prev" href="/office/role/pipeline?id=<?cs var:url_escape(Page.role.id) ?>&amp;view=list&amp;page=<?cs var:url_escape(Page.prev) ?>">Previous</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?> of <?cs var:Page.pages ?></span>
  <?cs if:Page.next ?><a rel="next" href="/office/role/pipeline?id=<?cs var:url_escape(Page.role.id) ?>&amp;view=list&amp;page=<?cs var:url_escape(Page.next) ?>">Next</a><?cs /if ?>
</nav><?cs /if ?><?cs
/if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
