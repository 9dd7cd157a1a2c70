<?cs include:"macros.cs" ?><?cs set:Page.title = "Candidates" ?><?cs set:Page.area = "office" ?>
<?cs include:"office/campaign_list_parts.cs" ?>
<?cs # A group of checkboxes from Page.choice[name]: value, label, checked. ?>
<?cs def:choice_group(name, legend) ?><?cs if:subcount(Page.choice[name]) ?>
<fieldset class="field choices" id="<?cs var:name ?>">
  <legend><?cs var:legend ?></legend><?cs each:c = Page.choice[name] ?>
  <div class="checkbox">
    <input type="checkbox" name="<?cs var:name ?>" value="<?cs var:c.value ?>" id="<?cs var:name ?>-<?cs name:c ?>"<?cs if:c.checked ?> checked<?cs /if ?>>
    <label for="<?cs var:name ?>-<?cs name:c ?>"><?cs var:c.label ?></label>
  </div><?cs /each ?><?cs call:field_error(name) ?>
</fieldset><?cs /if ?><?cs /def ?>
<?cs # A date input (no maxlength: HTML does not allow one on dates). ?>
<?cs def:date_field(name, label) ?>
<div class="field<?cs if:Form[name].error ?> has-error<?cs /if ?>">
  <label for="<?cs var:name ?>"><?cs var:label ?> <span class="optional">(optional)</span></label>
  <input type="date"<?cs call:input_attrs(name, "") ?> autocomplete="off" value="<?cs var:Form[name].value ?>"><?cs call:field_error(name) ?>
</div><?cs /def ?>
<?cs def:pager() ?>
<nav class="pager" aria-label="Pages">
  <?cs if:Page.prev ?><a rel="prev" href="/office/candidates?<?cs var:Page.qs ?>&amp;page=<?cs var:url_escape(Page.prev) ?>">Previous</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?> of <?cs var:Page.pages ?></span>
  <?cs if:Page.next ?><a rel="next" href="/office/candidates?<?cs var:Page.qs ?>&amp;page=<?cs var:url_escape(Page.next) ?>">Next</a><?cs /if ?>
</nav><?cs /def ?>
<?cs # The bulk actions: what to do, then to whom (the rows' checkboxes
     belong to this form through their form attribute). ?>
<?cs def:bulk_form() ?>
<form method="post" action="/office/bulk" id="bulk" class="bulk" novalidate>
  <h2>Act on several at once</h2><?cs call:csrf_field() ?><?cs each:h = Page.hidden ?>
  <input type="hidden" name="<?cs var:h.name ?>" value="<?cs var:h.value ?>"><?cs /each ?><?cs
  if:Form.sort.value ?>
  <input type="hidden" name="sort" value="<?cs var:Form.sort.value ?>"><?cs /if ?><?cs
  if:Page.page > 1 ?>
  <input type="hidden" name="page" value="<?cs var:Page.page ?>"><?cs /if ?><?cs each:c = Page.candidates ?>
  <input type="hidden" name="shown" value="<?cs var:c.id ?>"><?cs /each ?>
  <div class="field<?cs if:Form.action.error ?> has-error<?cs /if ?>">
    <label for="action">Action</label>
    <select<?cs call:input_attrs("action", "") ?>>
      <option value="">Choose what to do</option><?cs each:a = Page.bulk.actions ?><?cs
      call:option("action", a.value, a.label) ?><?cs /each ?>
    </select><?cs call:field_error("action") ?>
  </div>
  <p class="hint">Then the one thing the action needs:</p>
  <div class="field<?cs if:Form.tag.error ?> has-error<?cs /if ?>">
    <label for="tag">Tag (to add or remove)</label>
    <input type="text"<?cs call:input_attrs("tag", "") ?> autocomplete="off" maxlength="40" value="<?cs var:Form.tag.value ?>"><?cs call:field_error("tag") ?>
  </div>
  <div class="field<?cs if:Form.to_pool.error ?> has-error<?cs /if ?>">
    <label for="to_pool">Pool (to add to or remove from)</label>
    <select<?cs call:input_attrs("to_pool", "") ?>>
      <option value="">Choose a pool</option><?cs each:p = Page.bulk.pools ?><?cs
      call:option("to_pool", p.id, p.name) ?><?cs /each ?>
    </select><?cs call:field_error("to_pool") ?>
  </div>
  <div class="field<?cs if:Form.new_status.error ?> has-error<?cs /if ?>">
    <label for="new_status">Status (to set)</label>
    <select<?cs call:input_attrs("new_status", "") ?>>
      <option value="">Choose a status</option><?cs each:st = Page.bulk.statuses ?><?cs
      call:option("new_status", st.value, st.label) ?><?cs /each ?>
    </select><?cs call:field_error("new_status") ?>
  </div>
  <div class="field<?cs if:Form.new_owner.error ?> has-error<?cs /if ?>">
    <label for="new_owner">Owner (to set)</label>
    <select<?cs call:input_attrs("new_owner", "") ?>>
      <option value="">Choose an owner</option><?cs
      call:option("new_owner", "me", "Me") ?><?cs
      call:option("new_owner", "none", "Nobody") ?><?cs each:u = Page.bulk.owners ?><?cs
      call:option("new_owner", u.id, u.email) ?><?cs /each ?>
    </select><?cs call:field_error("new_owner") ?>
  </div>
  <div class="field bulk-scope<?cs if:Form.scope.error ?> has-error<?cs /if ?>" id="scope">
    <button type="submit" name="scope" value="selected"<?cs if:Form.errors.0.field == "scope" ?> autofocus<?cs /if ?><?cs if:Form.scope.error ?> aria-describedby="scope-error"<?cs /if ?>>Apply to the ticked candidates</button>
    <button type="submit" name="scope" value="all" class="secondary">Apply to all <?cs var:Page.bulk.total ?> that match</button><?cs call:field_error("scope") ?>
  </div>
  <p class="hint">It runs in the background: you will see its progress, and you can leave the page meanwhile.</p>
</form><?cs /def ?>
<?cs def:content() ?>
<h1>Candidates</h1>
<?cs if:Page.home ?><?cs call:home_notices() ?><?cs /if ?>
<p><a href="/office/candidates/new">Add a candidate</a> · <a href="/office/pools">Pools</a> · <a href="/office/mail">Mail sent and waiting</a> · <a href="/office/duplicates">Likely duplicates</a> · <a href="/office/jobs">Background jobs</a></p><?cs
if:subcount(Page.bulk.jobs) ?>
<div class="notice">
  <p>Your work running in the background:</p>
  <ul><?cs each:j = Page.bulk.jobs ?>
    <li><a href="/office/job?id=<?cs var:url_escape(j.id) ?>"><?cs var:j.kind ?> <?cs var:j.id ?></a>: <?cs var:j.progress ?></li><?cs /each ?>
  </ul>
</div><?cs /if ?>
<?cs call:error_summary() ?>
<form method="get" action="/office/candidates" class="filters" role="search">
  <div class="field<?cs if:Form.q.error ?> has-error<?cs /if ?>">
    <label for="q">Search</label>
    <p class="hint" id="q-hint">Names, email, title, skills, notes and CV text. Use -word to leave out, "two words" for both, or tag:, status:, city: and the like.</p>
    <input type="search"<?cs call:input_attrs("q", "1") ?> maxlength="300" value="<?cs var:Form.q.value ?>"><?cs call:field_error("q") ?>
  </div>
  <details class="more-filters"<?cs if:Page.filtered || Form.error_count ?> open<?cs /if ?>>
    <summary>Filters</summary>
    <?cs call:input_field("tags_all", "Tags: all of", "text", "off", "600", "", "Separate tags with commas.") ?>
    <?cs call:input_field("tags_any", "Tags: any of", "text", "off", "600", "", "") ?>
    <?cs call:input_field("tags_none", "Tags: none of", "text", "off", "600", "", "") ?>
    <?cs call:choice_group("status", "Status") ?>
    <?cs call:choice_group("source", "Source") ?>
    <?cs call:choice_group("seniority", "Seniority") ?>
    <?cs call:choice_group("interest", "Role interest") ?>
    <?cs call:choice_group("consent", "Consent") ?>
    <?cs call:choice_group("level", "Engagement") ?>
    <div class="field<?cs if:Form.pool.error ?> has-error<?cs /if ?>">
      <label for="pool">Pool</label>
      <select<?cs call:input_attrs("pool", "") ?>>
        <option value="">Any pool</option><?cs each:p = Page.pools ?>
        <option value="<?cs var:p.id ?>"<?cs if:p.selected ?> selected<?cs /if ?>><?cs var:p.name ?></option><?cs /each ?>
      </select><?cs call:field_error("pool") ?>
    </div>
    <?cs call:input_field("city", "City", "text", "off", "80", "", "") ?>
    <?cs call:input_field("country", "Country", "text", "off", "80", "", "") ?>
    <?cs call:checkbox_field("remote", "Open to remote work") ?>
    <div class="field<?cs if:Form.owner.error ?> has-error<?cs /if ?>">
      <label for="owner">Owner</label>
      <select<?cs call:input_attrs("owner", "") ?>>
        <option value="">Anyone</option><?cs
        call:option("owner", "me", "Me") ?><?cs
        call:option("owner", "none", "Nobody") ?><?cs each:u = Page.owners ?>
        <option value="<?cs var:u.id ?>"<?cs if:u.selected ?> selected<?cs /if ?>><?cs var:u.email ?></option><?cs /each ?>
      </select><?cs call:field_error("owner") ?>
    </div>
    <?cs call:checkbox_field("stale", "Stale records only") ?>
    <?cs call:date_field("engaged_after", "Last engaged on or after") ?>
    <?cs call:date_field("engaged_before", "Last engaged on or before") ?>
  </details>
  <div class="field">
    <label for="sort">Sort by</label>
    <select<?cs call:input_attrs("sort", "") ?>><?cs
      call:option("sort", "newest", "Newest first") ?><?cs
      call:option("sort", "oldest", "Oldest first") ?><?cs
      call:option("sort", "name", "Surname") ?><?cs
      call:option("sort", "engaged", "Last engaged") ?><?cs
      call:option("sort", "score", "Engagement score") ?>
    </select>
  </div>
  <button type="submit">Show candidates</button>
  <?cs if:Page.filtered ?><a class="reset" href="/office/candidates">Clear the filters</a><?cs /if ?>
</form>
<?cs if:Form.error_count == 0 || Page.listed ?>
<h2 id="results" aria-live="polite"><?cs var:Page.total ?> candidate<?cs if:Page.total != 1 ?>s<?cs /if ?><?cs if:Page.filtered ?> match<?cs if:Page.total == 1 ?>es<?cs /if ?><?cs /if ?><?cs if:Page.pages > 1 ?> (showing <?cs var:Page.first ?>–<?cs var:Page.last ?>)<?cs /if ?></h2>
<?cs if:Page.total == 0 ?>
<p class="lead"><?cs if:Page.filtered ?>No one matches. Try fewer conditions.<?cs else ?>No one is here yet. People who sign up on the talent-community page appear here.<?cs /if ?></p>
<?cs else ?>
<?cs call:bulk_form() ?>
<div class="table-wrap">
<table class="candidates">
  <thead><tr><th scope="col" class="select"><input type="checkbox" id="select-all" name="all_page" value="1" form="bulk" aria-label="Select all <?cs var:subcount(Page.candidates) ?> on this page"<?cs if:Form.all_page.value ?> checked<?cs /if ?>></th><th scope="col">Name</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Location</th><th scope="col">Tags</th><th scope="col">Score</th><th scope="col">Last engaged</th><th scope="col">Added</th></tr></thead>
  <tbody><?cs each:c = Page.candidates ?>
    <tr><td class="select"><input type="checkbox" class="select-row" name="id" value="<?cs var:c.id ?>" form="bulk" aria-label="Select <?cs if:c.name ?><?cs var:c.name ?><?cs else ?><?cs var:c.email ?><?cs /if ?>"<?cs if:c.checked ?> checked<?cs /if ?>></td><td><a href="/office/candidate?id=<?cs var:url_escape(c.id) ?>"><?cs if:c.name ?><?cs var:c.name ?><?cs else ?><?cs var:c.email ?><?cs /if ?></a><br><span class="aside"><?cs var:c.email ?></span></td>
      <td><?cs var:c.title ?></td>
      <td><?cs var:c.status ?><?cs if:c.stale ?> <span class="badge">stale</span><?cs /if ?></td>
      <td><?cs var:c.city ?><?cs if:c.city && c.country ?>, <?cs /if ?><?cs var:c.country ?></td>
      <td><?cs var:c.tags ?></td>
      <td class="score"><?cs var:c.score ?> <span class="aside">(<?cs var:c.level ?>)</span></td>
      <td><?cs if:c.engaged ?><?cs var:c.engaged ?><?cs else ?><span class="aside">never</span><?cs /if ?></td>
      <td><?cs var:c.joined ?></td></tr><?cs /each ?>
  </tbody>
</table>
</div>
<?cs if:Page.pages > 1 ?><?cs call:pager() ?><?cs /if ?>
<script src="/static/office.js" defer></script>
<?cs /if ?>
<?cs elif:Form.action.error ?><?cs call:bulk_form() ?>
<?cs /if ?>
<?cs if:Page.total > 0 || Form.camp.error ?><?cs call:enrol_filter_form() ?><?cs /if ?>
<form method="post" action="/office/pools/save" class="save-pool">
  <h2>Save this filter as a pool</h2>
  <p class="hint">A saved filter is a dynamic pool: people join and leave it as their records change.</p><?cs call:csrf_field() ?><?cs each:h = Page.hidden ?>
  <input type="hidden" name="<?cs var:h.name ?>" value="<?cs var:h.value ?>"><?cs /each ?>
  <?cs call:input_field("name", "Pool name", "text", "off", "80", "1", "") ?>
  <button type="submit">Save as pool</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
