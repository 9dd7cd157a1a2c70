<?cs include:"macros.cs" ?><?cs set:Page.title = "Join our talent community" ?>
<?cs def:content() ?>
<h1>Join our talent community</h1>
<p class="lead">Hear about roles that fit you before they are advertised. It takes a minute, and you can leave whenever you like.</p>
<?cs call:error_summary() ?>
<form id="join" method="post" action="/join" enctype="multipart/form-data" novalidate>
  <?cs call:csrf_field() ?>
  <?cs call:input_field("first_name", "First name", "text", "given-name", "100", "1", "") ?>
  <?cs call:input_field("last_name", "Last name", "text", "family-name", "100", "1", "") ?>
  <?cs call:input_field("email", "Email address", "email", "email", "254", "1", "We will send you a link to confirm it.") ?>
  <?cs call:input_field("phone", "Phone", "tel", "tel", "40", "", "") ?>
  <?cs call:location_fields() ?>
  <?cs call:interests_field() ?>
  <?cs call:seniority_field() ?>
  <?cs call:skills_field() ?>
  <?cs call:input_field("url", "LinkedIn or portfolio", "url", "url", "500", "", "The full address, starting with https://") ?>
  <div class="field<?cs if:Form.resume.error ?> has-error<?cs /if ?>">
    <label for="resume">Your CV or résumé <span class="optional">(optional)</span></label>
    <p class="hint" id="resume-hint">PDF, Word (.docx), OpenDocument (.odt) or plain text, up to 5 MB.</p>
    <input type="file" accept=".pdf,.docx,.odt,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.oasis.opendocument.text,text/plain"<?cs call:input_attrs("resume", "1") ?>><?cs call:field_error("resume") ?>
  </div>
  <?cs call:input_field("source", "How did you hear about us?", "text", "off", "100", "", "") ?>
  <div class="hp" aria-hidden="true">
    <label for="website">Leave this empty</label>
    <input type="text" id="website" name="website" tabindex="-1" autocomplete="off" value="">
  </div>
  <div class="field checkbox<?cs if:Form.consent.error ?> has-error<?cs /if ?>">
    <input type="checkbox" value="1"<?cs call:input_attrs("consent", "") ?><?cs if:Form.consent.value ?> checked<?cs /if ?>>
    <label for="consent"><?cs var:Site.ConsentPurpose ?>. I have read the <a href="<?cs var:Site.PolicyURL ?>">privacy policy</a> (version <?cs var:Site.PolicyVersion ?>) and know I can withdraw at any time.</label><?cs call:field_error("consent") ?>
  </div>
  <?cs call:checkbox_field("tracking", "Optional: let us see when you open our emails (a tiny image in each email tells us), so we send more of what you read.") ?>
  <button type="submit">Join the community</button>
</form>
<p class="aside">Already a member? Every email we send has a link to your preferences. You can also <a href="/data">ask for your data or its erasure</a>.</p>
<?cs /def ?><?cs include:"layout.cs" ?>
