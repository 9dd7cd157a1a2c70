<?cs include:"macros.cs" ?><?cs include:"office/profile_macros.cs" ?><?cs include:"office/campaign_macros.cs" ?><?cs if:Page.cand.name ?><?cs set:Page.title = Page.cand.name ?><?cs else ?><?cs set:Page.title = "A candidate" ?><?cs /if ?><?cs set:Page.area = "office" ?>
<?cs # What one timeline entry says happened. ?>
<?cs def:outcome_words(o) ?><?cs
  if:o == "answered" ?>they answered<?cs elif:o == "voicemail" ?>left a voicemail<?cs
  elif:o == "no_answer" ?>no answer<?cs elif:o == "sent" ?>we wrote<?cs
  elif:o == "reply" ?>they replied<?cs else ?><?cs var:o ?><?cs /if ?><?cs /def ?>
<?cs def:method_words(m) ?><?cs
  if:m == "web_form" ?>on the signup form<?cs elif:m == "email_link" ?>through the link in a mail<?cs
  elif:m == "recruiter" ?>as a recruiter recorded it<?cs elif:m == "system" ?>by the system<?cs
  elif:m == "merge" ?>(from a merged record)<?cs
  else ?><?cs var:m ?><?cs /if ?><?cs /def ?>
<?cs def:stage_words(s) ?><?cs
  if:s == "shortlisted" ?>shortlisted<?cs elif:s == "contacted" ?>contacted<?cs
  elif:s == "interested" ?>interested<?cs elif:s == "applied" ?>applied<?cs
  elif:s == "interviewing" ?>interviewing<?cs elif:s == "offer" ?>offer<?cs
  elif:s == "hired" ?>hired<?cs elif:s == "declined" ?>declined<?cs
  elif:s == "withdrawn" ?>withdrawn<?cs else ?><?cs var:s ?><?cs /if ?><?cs /def ?>
<?cs def:entry_words(e) ?><?cs
  if:e.other_role ?>Something happened in the pipeline of a role you are not a hiring manager for<?cs
  elif:e.source == "consent" ?>Consent <?cs var:e.kind ?> <?cs call:method_words(e.channel) ?><?cs
  elif:e.source == "mail" ?>Mail <a href="/office/mail/show?id=<?cs var:url_escape(e.detail.id) ?>"><?cs var:e.text ?></a>: <?cs var:e.detail.state ?><?cs
  elif:e.kind == "call" ?>Call: <?cs call:outcome_words(e.detail.outcome) ?><?cs
  elif:e.kind == "email" ?>Email: <?cs call:outcome_words(e.detail.outcome) ?><?cs
  elif:e.kind == "sms" ?>SMS: <?cs call:outcome_words(e.detail.outcome) ?><?cs
  elif:e.kind == "linkedin" ?>LinkedIn message: <?cs call:outcome_words(e.detail.outcome) ?><?cs
  elif:e.kind == "meeting" ?><?cs if:e.detail.outcome == "no_show" ?>Meeting: they did not come<?cs else ?>Meeting held<?cs /if ?><?cs
  elif:e.kind == "event" ?>Attended an event<?cs
  elif:e.kind == "note" ?>Note<?cs
  elif:e.kind == "edit" ?>Details edited: <?cs each:f = e.detail.fields ?><?cs if:!first(f) ?>, <?cs /if ?><?cs var:f ?><?cs /each ?><?cs
  elif:e.kind == "status" ?>Status: <?cs call:status_label(e.detail.from) ?> → <?cs call:status_label(e.detail.to) ?><?cs
  elif:e.kind == "owner" ?>Owner: <?cs if:e.detail.to_name ?><?cs var:e.detail.to_name ?><?cs else ?>nobody<?cs /if ?><?cs
  elif:e.kind == "created" ?>Added by hand (source: <?cs var:e.detail.source ?>)<?cs
  elif:e.kind == "verified" ?>Contact details verified<?cs
  elif:e.kind == "merge" ?>Merged<?cs
  elif:e.kind == "stage" ?><?cs if:e.detail.from ?>Moved from <?cs call:stage_words(e.detail.from) ?> to <?cs call:stage_words(e.detail.to) ?><?cs else ?>Added to the pipeline at <?cs call:stage_words(e.detail.to) ?><?cs /if ?> for <a href="/office/role?id=<?cs var:url_escape(e.detail.role) ?>"><?cs var:e.detail.title ?></a><?cs
  elif:e.kind == "silver" ?><?cs if:e.detail.undone ?>No longer a silver medallist for <?cs else ?>Marked a silver medallist for <?cs /if ?><a href="/office/role?id=<?cs var:url_escape(e.detail.role) ?>"><?cs var:e.detail.title ?></a><?cs
  elif:e.kind == "role_mail" ?>Personal mail queued about <a href="/office/role?id=<?cs var:url_escape(e.detail.role) ?>"><?cs var:e.detail.title ?></a><?cs
  elif:e.kind == "bounce" ?><?cs if:e.detail.hard ?>Mail bounced: the address does not work<?cs else ?>Mail bounced for now (soft)<?cs /if ?> (<?cs var:e.detail.status ?>)<?cs
  else ?><?cs var:e.kind ?><?cs /if ?><?cs /def ?>
<?cs def:tl_pager() ?>
<nav class="pager" aria-label="Timeline pages">
  <?cs if:Page.tl.prev ?><a rel="prev" href="/office/candidate?id=<?cs var:url_escape(Page.id) ?>&amp;tl=<?cs var:url_escape(Page.tl.prev) ?>#timeline">Newer</a><?cs /if ?>
  <span>Page <?cs var:Page.tl.page ?> of <?cs var:Page.tl.pages ?></span>
  <?cs if:Page.tl.next ?><a rel="next" href="/office/candidate?id=<?cs var:url_escape(Page.id) ?>&amp;tl=<?cs var:url_escape(Page.tl.next) ?>#timeline">Older</a><?cs /if ?>
</nav><?cs /def ?>
<?cs def:content() ?>
<?cs if:User.role_name == "hiring_manager" ?><p><a href="/office/">Your roles</a></p><?cs else ?><p><a href="/office/candidates">All candidates</a></p><?cs /if ?>
<h1><?cs if:Page.cand.name ?><?cs var:Page.cand.name ?><?cs else ?>A candidate<?cs /if ?></h1><?cs
if:Page.done ?>
<p class="notice" role="status"><?cs
  if:Page.done == "edit" ?>Your changes are saved.<?cs
  elif:Page.done == "new" ?>The candidate is added.<?cs
  elif:Page.done == "touch" ?>The touchpoint is on the timeline.<?cs
  elif:Page.done == "note" ?>The note is on the timeline.<?cs
  elif:Page.done == "verify" ?>Their contact details are marked as checked.<?cs
  elif:Page.done == "enrol" ?>They are in the campaign: its first step runs in their next send window.<?cs
  elif:Page.done == "unenrol" ?>They are out of the campaign: nothing more is sent to them from it.<?cs /if ?></p><?cs /if ?>
<?cs call:error_summary() ?>
<?cs if:User.role_name != "hiring_manager" ?><p><a href="/office/candidate/edit?id=<?cs var:url_escape(Page.id) ?>">Edit details</a></p><?cs /if ?>
<dl class="facts">
  <dt>Email</dt><dd><?cs var:Page.cand.email ?><?cs
  if:Page.cand.email_invalid ?> <strong class="badge" id="email-invalid">bounced</strong> Mail to this address cannot be delivered, so none is sent. Edit the email once you have a working one.<?cs
  elif:Page.cand.soft_bounces ?> <span class="badge" id="soft-bounces"><?cs var:Page.cand.soft_bounces ?> soft bounce(s)</span><?cs /if ?></dd><?cs
  if:Page.cand.phone ?><dt>Phone</dt><dd><?cs var:Page.cand.phone ?></dd><?cs /if ?><?cs
  if:Page.cand.title ?><dt>Job title</dt><dd><?cs var:Page.cand.title ?></dd><?cs /if ?>
  <dt>Location</dt><dd><?cs if:Page.cand.city ?><?cs var:Page.cand.city ?><?cs if:Page.cand.country ?>, <?cs /if ?><?cs /if ?><?cs var:Page.cand.country ?><?cs if:Page.cand.remote ?><?cs if:Page.cand.city || Page.cand.country ?>; <?cs /if ?>remote<?cs /if ?></dd>
  <dt>Interests</dt><dd><?cs each:i = Page.cand.interests ?><?cs if:!first(i) ?>, <?cs /if ?><?cs if:Site.JobFamilies[i] ?><?cs var:Site.JobFamilies[i] ?><?cs else ?><?cs var:i ?><?cs /if ?><?cs /each ?></dd>
  <dt>Seniority</dt><dd><?cs if:Page.cand.seniority ?><?cs var:Page.cand.seniority ?><?cs else ?>not known<?cs /if ?></dd>
  <dt>Skills</dt><dd><?cs each:s = Page.cand.skills ?><?cs if:!first(s) ?>, <?cs /if ?><?cs var:s ?><?cs /each ?><?cs if:!subcount(Page.cand.skills) ?>None given<?cs /if ?></dd><?cs
  if:Page.cand.url ?><dt>Profile</dt><dd><?cs var:Page.cand.url ?></dd><?cs /if ?>
<?cs if:Page.cand.resume.name ?>  <dt>CV</dt><dd><?cs var:Page.cand.resume.name ?> (<?cs var:Page.cand.resume.kind ?>, <?cs var:Page.cand.resume.size ?> bytes)</dd>
<?cs /if ?>  <dt>Source</dt><dd><?cs var:Page.cand.source ?></dd>
  <dt>Status</dt><dd><?cs call:status_label(Page.cand.status) ?></dd>
  <dt>Owner</dt><dd><?cs if:Page.cand.owner_name ?><?cs var:Page.cand.owner_name ?><?cs else ?>Nobody<?cs /if ?></dd>
  <dt>Tags</dt><dd><?cs if:subcount(Page.cand.tags) ?><ul class="tags"><?cs each:t = Page.cand.tags ?><li><?cs var:t ?></li><?cs /each ?></ul><?cs else ?>None<?cs /if ?></dd>
  <dt>Pools</dt><dd><?cs if:subcount(Page.pools) ?><?cs each:p = Page.pools ?><?cs if:!first(p) ?>, <?cs /if ?><?cs var:p.name ?><?cs /each ?><?cs else ?>None<?cs /if ?></dd>
  <dt>Lawful basis</dt><dd><?cs call:basis_label(Page.cand.basis.kind) ?><?cs if:Page.cand.basis.note ?>: <?cs var:Page.cand.basis.note ?><?cs /if ?></dd>
  <dt>Joined</dt><dd><?cs var:Page.cand.joined_at ?></dd>
  <dt>Consent</dt><dd><?cs if:Page.cand.consent ?><?cs var:Page.cand.consent ?><?cs else ?>none given through the talent community<?cs /if ?></dd>
  <dt>Engagement</dt><dd><?cs var:Page.cand.level ?>, score <?cs var:Page.cand.score ?><?cs if:Page.cand.engaged_at ?>, last <?cs var:Page.cand.engaged_at ?><?cs /if ?></dd>
  <dt>Updated</dt><dd><?cs var:Page.cand.updated_at ?></dd>
</dl>
<section aria-labelledby="pipes-title" id="pipelines">
<h2 id="pipes-title">Roles</h2><?cs
if:!Page.npipes ?>
<p>Not in any role's pipeline.</p><?cs
else ?>
<ul class="pipes"><?cs each:r = Page.pipes ?>
  <li><a href="/office/role/pipeline?id=<?cs var:url_escape(r.role) ?>"><?cs var:r.title ?></a>: <?cs if:r.stage_label ?><?cs var:r.stage_label ?><?cs else ?><?cs var:r.stage ?><?cs /if ?><?cs if:r.when ?> <span class="aside">since <?cs var:r.when ?></span><?cs /if ?></li><?cs /each ?>
</ul><?cs /if ?>
</section>
<?cs if:User.role_name != "hiring_manager" ?>
<h2 id="contact-details">Contact details</h2><?cs
if:Page.cand.stale ?>
<p class="notice" id="stale">These details may be out of date: no engagement and no update for more than <?cs var:Page.stale_months ?> months. Check them with the person (or another source), then say so here.</p><?cs
else ?>
<p>Checked contact details keep the record fresh; it is flagged when nothing happened for <?cs var:Page.stale_months ?> months.</p><?cs /if ?>
<form method="post" action="/office/candidate/verify">
  <?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.id ?>">
  <button type="submit"<?cs if:!Page.cand.stale ?> class="secondary"<?cs /if ?>>Verify contact details</button>
</form>

<?cs include:"office/campaign_person.cs" ?>

<h2 id="log-touchpoint">Log a touchpoint</h2>
<form method="post" action="/office/candidate/touch" novalidate>
  <?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.id ?>">
  <div class="field<?cs if:Form.touch_kind.error ?> has-error<?cs /if ?>">
    <label for="touch_kind">What happened</label>
    <select<?cs call:input_attrs("touch_kind", "") ?> required>
      <option value="">Choose one</option>
      <optgroup label="Call"><?cs
        call:pf_option("touch_kind", "call_answered", "Call: they answered") ?><?cs
        call:pf_option("touch_kind", "call_voicemail", "Call: left a voicemail") ?><?cs
        call:pf_option("touch_kind", "call_no_answer", "Call: no answer") ?>
      </optgroup>
      <optgroup label="Email"><?cs
        call:pf_option("touch_kind", "email_sent", "Email: we wrote") ?><?cs
        call:pf_option("touch_kind", "email_reply", "Email: they replied") ?>
      </optgroup>
      <optgroup label="SMS"><?cs
        call:pf_option("touch_kind", "sms_sent", "SMS: we wrote") ?><?cs
        call:pf_option("touch_kind", "sms_reply", "SMS: they replied") ?>
      </optgroup>
      <optgroup label="LinkedIn message"><?cs
        call:pf_option("touch_kind", "linkedin_sent", "LinkedIn: we wrote") ?><?cs
        call:pf_option("touch_kind", "linkedin_reply", "LinkedIn: they replied") ?>
      </optgroup>
      <optgroup label="Meeting or event"><?cs
        call:pf_option("touch_kind", "meeting_held", "Meeting held") ?><?cs
        call:pf_option("touch_kind", "meeting_no_show", "Meeting: they did not come") ?><?cs
        call:pf_option("touch_kind", "event_attended", "They attended an event") ?>
      </optgroup>
    </select><?cs call:field_error("touch_kind") ?>
  </div>
  <div class="field<?cs if:Form.touch_day.error ?> has-error<?cs /if ?>">
    <label for="touch_day">When <span class="optional">(optional)</span></label><?cs call:hint("touch_day", "Leave empty for now.") ?>
    <input type="date"<?cs call:input_attrs("touch_day", "1") ?> value="<?cs var:Form.touch_day.value ?>"><?cs call:field_error("touch_day") ?>
  </div>
  <div class="field<?cs if:Form.touch_text.error ?> has-error<?cs /if ?>">
    <label for="touch_text">What was said <span class="optional">(optional)</span></label>
    <textarea<?cs call:input_attrs("touch_text", "") ?> rows="2" maxlength="4000"><?cs var:Form.touch_text.value ?></textarea><?cs call:field_error("touch_text") ?>
  </div>
  <button type="submit">Log the touchpoint</button>
</form>

<h2 id="add-note">Add a note</h2>
<form method="post" action="/office/candidate/note" novalidate>
  <?cs call:csrf_field() ?>
  <input type="hidden" name="id" value="<?cs var:Page.id ?>">
  <div class="field<?cs if:Form.note.error ?> has-error<?cs /if ?>">
    <label for="note">Note</label><?cs call:hint("note", "Its words are found by the candidate list's search.") ?>
    <textarea<?cs call:input_attrs("note", "1") ?> rows="3" maxlength="4000" required><?cs var:Form.note.value ?></textarea><?cs call:field_error("note") ?>
  </div>
  <button type="submit">Add the note</button>
</form>

<?cs /if ?>
<h2 id="timeline">Timeline</h2><?cs
if:!Page.tl.total ?>
<p>Nothing yet.</p><?cs
else ?>
<p><?cs var:Page.tl.total ?> entr<?cs if:Page.tl.total == 1 ?>y<?cs else ?>ies<?cs /if ?>, newest first.</p>
<ol class="timeline"><?cs each:e = Page.timeline ?>
  <li class="tl-<?cs var:e.source ?>"><time datetime="<?cs var:e.iso ?>"><?cs var:e.when ?></time>
    <p class="what"><?cs call:entry_words(e) ?><?cs if:e.by_name ?> <span class="by">by <?cs var:e.by_name ?></span><?cs /if ?></p><?cs
    if:e.text && e.source != "mail" ?>
    <p class="text"><?cs var:e.text ?></p><?cs /if ?>
  </li><?cs /each ?>
</ol><?cs if:Page.tl.pages > 1 ?><?cs call:tl_pager() ?><?cs /if ?><?cs /if ?>

<?cs if:User.role_name != "hiring_manager" ?>
<h2>Consent ledger</h2><?cs
if:Page.cand.name && !subcount(Page.ledger) ?>
<p>No consent events: they have not joined the talent community.</p><?cs
else ?>
<p>Every change of consent, oldest first. Each entry holds the hash of the one before, so an edited entry shows: <code>hearthctl verify</code> checks them all.</p>
<div class="table-wrap">
<table>
  <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">How</th><th scope="col">Policy</th><th scope="col">From</th></tr></thead>
  <tbody><?cs each:e = Page.ledger ?>
    <tr><td><?cs var:e.when ?></td><td><?cs var:e.type ?></td><td><?cs var:e.method ?></td><td>version <?cs var:e.policy_version ?>, SHA-256 <code><?cs var:e.policy_sha256 ?></code></td><td><?cs var:e.ip ?><br><small><?cs var:e.user_agent ?></small></td></tr><?cs /each ?>
  </tbody>
</table>
</div><?cs /if ?><?cs /if ?>
<?cs /def ?><?cs include:"layout.cs" ?>
