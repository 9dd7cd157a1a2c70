<?cs include:"macros.cs" ?><?cs include:"office/role_macros.cs" ?><?cs set:Page.title = "Ranking: " + Page.role.title ?><?cs set:Page.area = "office" ?>
<?cs # role_matches.cs: who in the CRM fits the role, best first, with the reasons of each score and what to do next. ?>
<?cs def:content() ?>
<p><a href="/office/roles">All roles</a></p>
<h1>Ranking: <?cs var:Page.role.title ?></h1>
<?cs call:role_tabs("matches") ?><?cs
if:Page.done ?>
<p class="notice" role="status"><?cs
  if:Page.done == "shortlisted" ?>They are shortlisted: the reasons shown are kept with the decision.<?cs
  elif:Page.done == "already" ?>They are in this role's pipeline already.<?cs
  elif:Page.done == "changed" ?>They are not shortlisted: their score or its reasons changed since the page was shown. Here they are as they are now; shortlist them again if they still fit.<?cs
  elif:Page.done == "mailed" ?>Your mail is on its way: it goes out through the mail queue.<?cs
  elif:Page.done == "held" ?>Your mail is queued. They have had as many mails as the frequency cap allows for now, so it goes when the cap allows, by itself.<?cs
  elif:Page.done == "enrolled" ?>They are in the campaign: its first step runs in their next send window.<?cs /if ?></p><?cs /if ?>
<?cs call:error_summary() ?><?cs
if:Page.uncompiled ?>
<p>This role cannot be ranked yet: <a href="/office/role/edit?id=<?cs var:url_escape(Page.role.id) ?>">edit it</a> to give it skills, a location or a seniority.</p><?cs
else ?>
<form method="get" action="/office/role/matches" class="filters">
  <input type="hidden" name="id" value="<?cs var:Page.role.id ?>">
  <fieldset class="field group">
    <legend>Only people</legend>
    <?cs call:input_field("city", "In the city", "text", "off", "80", "", "") ?>
    <?cs call:input_field("country", "In the country", "text", "off", "80", "", "") ?>
    <div class="field">
      <label for="seniority">Of seniority <span class="optional">(optional)</span></label>
      <select<?cs call:input_attrs("seniority", "") ?>>
        <option value="">Any</option><?cs
        call:option("seniority", "student", "Student or graduate") ?><?cs
        call:option("seniority", "junior", "Junior") ?><?cs
        call:option("seniority", "mid", "Mid-level") ?><?cs
        call:option("seniority", "senior", "Senior") ?><?cs
        call:option("seniority", "lead", "Lead or manager") ?><?cs
        call:option("seniority", "executive", "Executive") ?>
      </select>
    </div>
    <div class="field">
      <label for="pool">In the pool <span class="optional">(optional)</span></label>
      <select<?cs call:input_attrs("pool", "") ?>>
        <option value="">Any</option><?cs each:p = Page.pools ?>
        <option value="<?cs var:p.id ?>"<?cs if:#Form.pool.value == #p.id ?> selected<?cs /if ?>><?cs var:p.name ?></option><?cs /each ?>
      </select>
    </div>
    <div class="field">
      <label for="level">With engagement <span class="optional">(optional)</span></label>
      <select<?cs call:input_attrs("level", "") ?>>
        <option value="">Any</option><?cs
        call:option("level", "hot", "Hot") ?><?cs
        call:option("level", "warm", "Warm") ?><?cs
        call:option("level", "cold", "Cold") ?>
      </select>
    </div>
  </fieldset>
  <button type="submit" class="secondary">Show</button><?cs if:Page.filtered ?> <a class="reset" href="/office/role/matches?id=<?cs var:url_escape(Page.role.id) ?>">Everyone</a><?cs /if ?>
</form><?cs
if:Page.total == 0 ?>
<p>No one <?cs if:Page.filtered ?>who matches these filters <?cs /if ?>can be ranked for this role. Do-not-contact, erased and currently hired people are never shown.</p><?cs
else ?>
<p id="ranking-summary"><?cs var:Page.total ?> <?cs if:Page.total == 1 ?>person<?cs else ?>people<?cs /if ?> ranked, best first<?cs if:Page.pages > 1 ?>; page <?cs var:Page.page ?> of <?cs var:Page.pages ?><?cs /if ?>. Do-not-contact, erased and currently hired people are left out.</p>
<ol class="ranking" start="<?cs var:Page.first_rank ?>" aria-describedby="ranking-summary"><?cs each:h = Page.hits ?>
  <li id="cand-<?cs var:h.id ?>" class="hit">
    <h2 class="hit-name"><a href="/office/candidate?id=<?cs var:url_escape(h.id) ?>"><?cs if:h.name ?><?cs var:h.name ?><?cs else ?>Candidate <?cs var:h.id ?><?cs /if ?></a>
      <span class="score">score <strong><?cs var:h.score ?></strong><span class="visually-hidden"> of 100</span></span></h2><?cs
    if:h.title ?><p class="aside"><?cs var:h.title ?></p><?cs /if ?><?cs
    if:h.needs_basis ?>
    <p class="badge needs-basis">needs a lawful basis before contact</p><?cs /if ?><?cs
    if:h.stage ?>
    <p class="badge in-pipeline">in pipeline: <?cs var:h.stage ?></p><?cs /if ?>
    <p class="skills">Required: <?cs if:subcount(h.required_matched) ?>has <?cs call:list_words(h.required_matched) ?><?cs else ?>none matched<?cs /if ?><?cs if:subcount(h.required_missing) ?>; missing <?cs call:list_words(h.required_missing) ?><?cs /if ?>.<?cs
      if:subcount(h.nice_matched) || subcount(h.nice_missing) ?> Nice to have: <?cs if:subcount(h.nice_matched) ?>has <?cs call:list_words(h.nice_matched) ?><?cs else ?>none matched<?cs /if ?><?cs if:subcount(h.nice_missing) ?>; missing <?cs call:list_words(h.nice_missing) ?><?cs /if ?>.<?cs /if ?></p>
    <details class="reasons">
      <summary>Why <?cs var:h.score ?><span class="visually-hidden"> for <?cs var:h.name ?></span></summary>
      <table class="parts">
        <thead><tr><th scope="col">Part</th><th scope="col">Points</th><th scope="col">Why</th></tr></thead>
        <tbody><?cs each:p = h.parts ?>
          <tr><th scope="row"><?cs call:part_words(p.part) ?></th><td><?cs var:p.points ?> of <?cs var:p.max ?></td><td><?cs var:p.text ?></td></tr><?cs /each ?>
        </tbody>
      </table>
    </details>
    <div class="actions"><?cs
      if:!h.stage ?>
      <form method="post" action="/office/role/shortlist" class="inline"><?cs call:csrf_field() ?>
        <input type="hidden" name="role" value="<?cs var:Page.role.id ?>">
        <input type="hidden" name="cand" value="<?cs var:h.id ?>">
        <input type="hidden" name="shown" value="<?cs var:h.shown ?>">
        <input type="hidden" name="back" value="<?cs var:Page.filter_qs ?>&amp;page=<?cs var:Page.page ?>">
        <button type="submit">Shortlist<span class="visually-hidden"> <?cs var:h.name ?></span></button>
      </form><?cs /if ?>
      <a href="/office/role/mail?role=<?cs var:url_escape(Page.role.id) ?>&amp;cand=<?cs var:url_escape(h.id) ?>">Write to them<span class="visually-hidden">: <?cs var:h.name ?></span></a><?cs
      if:subcount(Page.camps) ?>
      <form method="post" action="/office/role/enrol" class="inline enrol"><?cs call:csrf_field() ?>
        <input type="hidden" name="role" value="<?cs var:Page.role.id ?>">
        <input type="hidden" name="cand" value="<?cs var:h.id ?>">
        <input type="hidden" name="back" value="<?cs var:Page.filter_qs ?>&amp;page=<?cs var:Page.page ?>">
<?cs if:#Page.error_cand == #h.id ?><?cs set:cid = "camp" ?><?cs else ?><?cs set:cid = "camp-" + h.id ?><?cs /if ?>
        <label for="<?cs var:cid ?>">Campaign<span class="visually-hidden"> for <?cs var:h.name ?></span></label>
        <select id="<?cs var:cid ?>" name="camp"<?cs if:#Page.error_cand == #h.id ?> aria-invalid="true" aria-describedby="camp-error" autofocus<?cs /if ?>><?cs each:c = Page.camps ?>
          <option value="<?cs var:c.id ?>"><?cs var:c.name ?></option><?cs /each ?>
        </select>
        <button type="submit" class="secondary">Enrol</button><?cs
        if:#Page.error_cand == #h.id ?><?cs call:field_error("camp") ?><?cs /if ?>
      </form><?cs /if ?>
    </div>
  </li><?cs /each ?>
</ol><?cs
  if:Page.pages > 1 ?>
<nav class="pager" aria-label="Pages of the ranking">
  <?cs if:Page.prev ?><a rel="prev" href="/office/role/matches?<?cs var:Page.filter_qs ?>&amp;page=<?cs var:url_escape(Page.prev) ?>">Better</a><?cs /if ?>
  <span>Page <?cs var:Page.page ?> of <?cs var:Page.pages ?></span>
  <?cs if:Page.next ?><a rel="next" href="/office/role/matches?<?cs var:Page.filter_qs ?>&amp;page=<?cs var:url_escape(Page.next) ?>">Next</a><?cs /if ?>
</nav><?cs /if ?><?cs
/if ?><?cs
/if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
