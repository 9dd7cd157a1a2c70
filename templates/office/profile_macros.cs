<?cs # profile_macros.cs: the words for statuses and lawful bases, and the
     fields of a candidate's profile, shared by the profile, edit and new
     pages. Fields follow macros.cs: the error right after its input. ?>
<?cs def:status_label(s) ?><?cs
  if:s == "sourced" ?>Sourced<?cs elif:s == "contacted" ?>Contacted<?cs
  elif:s == "engaged" ?>Engaged<?cs elif:s == "applied" ?>Applied<?cs
  elif:s == "interviewing" ?>Interviewing<?cs elif:s == "offered" ?>Offered<?cs
  elif:s == "hired" ?>Hired<?cs elif:s == "declined" ?>Declined<?cs
  elif:s == "silver_medallist" ?>Silver medallist<?cs
  elif:s == "do_not_contact" ?>Do not contact<?cs else ?><?cs var:s ?><?cs /if ?><?cs /def ?>

<?cs def:basis_label(s) ?><?cs
  if:s == "consent" ?>Consent<?cs elif:s == "legitimate_interest" ?>Legitimate interest<?cs
  else ?><?cs var:s ?><?cs /if ?><?cs /def ?>

<?cs # aria-describedby of a profile field: its hint, what someone else
     saved meanwhile, its error. ?>
<?cs def:pf_described(name, hint) ?><?cs if:hint || Page.now[name] || Form[name].error ?> aria-describedby="<?cs
  if:hint ?><?cs var:name ?>-hint<?cs if:Page.now[name] || Form[name].error ?> <?cs /if ?><?cs /if ?><?cs
  if:Page.now[name] ?><?cs var:name ?>-now<?cs if:Form[name].error ?> <?cs /if ?><?cs /if ?><?cs
  if:Form[name].error ?><?cs var:name ?>-error<?cs /if ?>"<?cs /if ?><?cs /def ?>

<?cs def:pf_attrs(name, hint) ?> id="<?cs var:name ?>" name="<?cs var:name ?>"<?cs
  if:Form[name].error ?> aria-invalid="true"<?cs /if ?><?cs call:pf_described(name, hint) ?><?cs
  if:Form.errors.0.field == name ?> autofocus<?cs /if ?><?cs /def ?>

<?cs def:pf_now(name) ?><?cs if:Page.now[name] ?>
  <p class="hint now" id="<?cs var:name ?>-now">Saved by someone else meanwhile: <?cs var:Page.now[name] ?></p><?cs /if ?><?cs /def ?>

<?cs def:pf_head(name, label, required, hint) ?>
  <label for="<?cs var:name ?>"><?cs var:label ?><?cs if:!required ?> <span class="optional">(optional)</span><?cs /if ?></label><?cs call:hint(name, hint) ?><?cs call:pf_now(name) ?><?cs /def ?>

<?cs def:pf_text(name, label, type, autocomplete, maxlength, required, hint) ?>
<div class="field<?cs if:Form[name].error ?> has-error<?cs /if ?>"><?cs call:pf_head(name, label, required, hint) ?>
  <input type="<?cs var:type ?>"<?cs call:pf_attrs(name, hint) ?> autocomplete="<?cs var:autocomplete ?>" maxlength="<?cs var:maxlength ?>"<?cs if:required ?> required<?cs /if ?> value="<?cs var:Form[name].value ?>"><?cs call:field_error(name) ?>
</div><?cs /def ?>

<?cs def:pf_option(field, value, label) ?>
    <option value="<?cs var:value ?>"<?cs if:Form[field].value == value ?> selected<?cs /if ?>><?cs var:label ?></option><?cs /def ?>

<?cs # Every field of a profile; adding: 1 on the new-candidate form (no
     status: a candidate added by hand is "sourced"). ?>
<?cs def:profile_fields(adding) ?>
<fieldset class="field group">
  <legend>Name</legend><?cs
  call:pf_text("first_name", "First name", "text", "off", "100", "", "") ?><?cs
  call:pf_text("last_name", "Last name", "text", "off", "100", "", "A first name, a last name or both.") ?>
</fieldset>
<fieldset class="field group">
  <legend>Contact</legend><?cs
  call:pf_text("email", "Email address", "email", "off", "254", "1", "") ?><?cs
  if:Page.existing ?>
  <p class="notice"><a href="/office/candidate?id=<?cs var:url_escape(Page.existing) ?>">Open the profile that has this email</a></p><?cs /if ?><?cs
  call:pf_text("phone", "Phone", "tel", "off", "40", "", "") ?><?cs
  call:pf_text("url", "LinkedIn or portfolio address", "url", "off", "300", "", "Starting with https://") ?>
</fieldset>
<fieldset class="field group">
  <legend>Work</legend><?cs
  call:pf_text("title", "Job title", "text", "off", "120", "", "") ?>
  <div class="field<?cs if:Form.seniority.error ?> has-error<?cs /if ?>"><?cs call:pf_head("seniority", "Seniority", "", "") ?>
    <select<?cs call:pf_attrs("seniority", "") ?>>
      <option value="">Not known</option><?cs
      call:pf_option("seniority", "student", "Student or graduate") ?><?cs
      call:pf_option("seniority", "junior", "Junior") ?><?cs
      call:pf_option("seniority", "mid", "Mid-level") ?><?cs
      call:pf_option("seniority", "senior", "Senior") ?><?cs
      call:pf_option("seniority", "lead", "Lead or manager") ?><?cs
      call:pf_option("seniority", "executive", "Executive") ?>
    </select><?cs call:field_error("seniority") ?>
  </div>
  <fieldset class="field choices<?cs if:Form.interests.error ?> has-error<?cs /if ?>" id="interests"<?cs if:Form.interests.error || Page.now.interests ?> aria-describedby="<?cs if:Page.now.interests ?>interests-now<?cs /if ?><?cs if:Page.now.interests && Form.interests.error ?> <?cs /if ?><?cs if:Form.interests.error ?>interests-error<?cs /if ?>"<?cs /if ?>>
    <legend>Kinds of role <span class="optional">(optional)</span></legend><?cs call:pf_now("interests") ?><?cs
    each:f = Site.JobFamilies ?>
    <div class="checkbox">
      <input type="checkbox" name="interests" value="<?cs name:f ?>" id="interests-<?cs name:f ?>"<?cs
        if:Form.interests.checked[name(f)] ?> checked<?cs /if ?><?cs
        if:Form.errors.0.field == "interests" && first(f) ?> autofocus<?cs /if ?>>
      <label for="interests-<?cs name:f ?>"><?cs var:f ?></label>
    </div><?cs /each ?><?cs call:field_error("interests") ?>
  </fieldset><?cs
  call:pf_text("skills", "Skills", "text", "off", "1500", "", "With commas between them, like: Python, recruiting, SQL.") ?>
</fieldset>
<fieldset class="field group">
  <legend>Location</legend><?cs
  call:pf_text("city", "City", "text", "off", "100", "", "") ?><?cs
  call:pf_text("country", "Country", "text", "off", "100", "", "") ?>
  <div class="field checkbox<?cs if:Form.remote.error ?> has-error<?cs /if ?>">
    <input type="checkbox" value="1"<?cs call:pf_attrs("remote", "") ?><?cs if:Form.remote.value ?> checked<?cs /if ?>>
    <label for="remote">Open to remote work</label><?cs call:field_error("remote") ?><?cs call:pf_now("remote") ?>
  </div>
</fieldset>
<fieldset class="field group">
  <legend>In our pipeline</legend><?cs
  call:pf_text("source", "Source", "text", "off", "80", "1", "Where they came from: say, LinkedIn, a referral or an event.") ?><?cs
  call:pf_text("tags", "Tags", "text", "off", "1000", "", "With commas between them; each up to 40 characters.") ?>
  <div class="field<?cs if:Form.owner.error ?> has-error<?cs /if ?>"><?cs call:pf_head("owner", "Owner", "", "") ?>
    <select<?cs call:pf_attrs("owner", "") ?>>
      <option value="">Nobody</option><?cs each:u = Page.owners ?><?cs
      call:pf_option("owner", u.id, u.email) ?><?cs /each ?>
    </select><?cs call:field_error("owner") ?>
  </div><?cs if:!adding ?>
  <div class="field<?cs if:Form.status.error ?> has-error<?cs /if ?>"><?cs call:pf_head("status", "Status", "1", "") ?>
    <select<?cs call:pf_attrs("status", "") ?> required><?cs
      call:pf_option("status", "sourced", "Sourced") ?><?cs
      call:pf_option("status", "contacted", "Contacted") ?><?cs
      call:pf_option("status", "engaged", "Engaged") ?><?cs
      call:pf_option("status", "applied", "Applied") ?><?cs
      call:pf_option("status", "interviewing", "Interviewing") ?><?cs
      call:pf_option("status", "offered", "Offered") ?><?cs
      call:pf_option("status", "hired", "Hired") ?><?cs
      call:pf_option("status", "declined", "Declined") ?><?cs
      call:pf_option("status", "silver_medallist", "Silver medallist") ?><?cs
      call:pf_option("status", "do_not_contact", "Do not contact") ?>
    </select><?cs call:field_error("status") ?>
  </div><?cs /if ?>
</fieldset>
<fieldset class="field group">
  <legend>Lawful basis for holding their details</legend>
  <div class="field<?cs if:Form.basis.error ?> has-error<?cs /if ?>"><?cs call:pf_head("basis", "Basis", "1", "") ?>
    <select<?cs call:pf_attrs("basis", "") ?> required>
      <option value="">Choose one</option><?cs
      call:pf_option("basis", "legitimate_interest", "Legitimate interest") ?><?cs
      call:pf_option("basis", "consent", "Consent") ?>
    </select><?cs call:field_error("basis") ?>
  </div><?cs
  call:pf_text("basis_note", "About the basis", "text", "off", "500", adding, "For legitimate interest, why we may hold their details; for consent, when, how and by whom it was obtained.") ?>
</fieldset><?cs /def ?>
