<?cs include:"macros.cs" ?><?cs include:"office/role_macros.cs" ?><?cs set:Page.title = "Roles" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<h1>Roles</h1>
<p class="lead"><?cs if:User.role_name == "hiring_manager" ?>The roles you are a hiring manager for.<?cs else ?>Open a role to see who in the CRM fits it, best first, before sourcing anyone new.<?cs /if ?></p><?cs
if:User.role_name != "hiring_manager" ?>
<p><a href="/office/roles/new">Open a new role</a></p><?cs /if ?>
<form method="get" action="/office/roles" class="inline">
  <div class="field">
    <label for="status">Show</label>
    <select id="status" name="status">
      <option value="">Every status</option>
      <option value="draft"<?cs if:Page.status == "draft" ?> selected<?cs /if ?>>Drafts</option>
      <option value="open"<?cs if:Page.status == "open" ?> selected<?cs /if ?>>Open</option>
      <option value="on_hold"<?cs if:Page.status == "on_hold" ?> selected<?cs /if ?>>On hold</option>
      <option value="filled"<?cs if:Page.status == "filled" ?> selected<?cs /if ?>>Filled</option>
      <option value="closed"<?cs if:Page.status == "closed" ?> selected<?cs /if ?>>Closed</option>
    </select>
  </div>
  <button type="submit" class="secondary">Show</button>
</form><?cs
if:Page.total == 0 ?>
<p><?cs if:Page.status ?>No roles with this status.<?cs else ?>No roles yet.<?cs /if ?></p><?cs
else ?><?cs
  call:role_table(", newest first") ?><?cs
  if:Page.pages > 1 ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.prev ?><a rel="prev" href="/office/roles?page=<?cs var:url_escape(Page.prev) ?>&amp;status=<?cs var:url_escape(Page.status) ?>">Previous</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?> of <?cs var:Page.pages ?></span>
  <?cs if:Page.next ?><a rel="next" href="/office/roles?page=<?cs var:url_escape(Page.next) ?>&amp;status=<?cs var:url_escape(Page.status) ?>">Next</a><?cs /if ?>
</nav><?cs /if ?><?cs
/if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
