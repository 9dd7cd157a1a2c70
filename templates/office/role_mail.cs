<?cs include:"macros.cs" ?><?cs include:"office/role_macros.cs" ?><?cs set:Page.title = "Write to " + Page.cand.name ?><?cs set:Page.area = "office" ?>
<?cs # role_mail.cs: a personal mail about a role, from its template; the merge fields are filled when it is queued. ?>
<?cs def:content() ?>
<p><a href="/office/role/matches?id=<?cs var:url_escape(Page.role.id) ?>">Back to the ranking</a></p>
<h1>Write to <?cs var:Page.cand.name ?></h1>
<p class="lead">About the role <?cs var:Page.role.title ?>. The mail goes through the mail queue: consent, do-not-contact and the frequency cap are checked, and it shows on their timeline.</p>
<?cs call:error_summary() ?><?cs
if:Page.refusal && !Form.to.error ?>
<p class="notice" id="refusal">This mail cannot be sent now: <?cs var:Page.refusal ?></p><?cs /if ?>
<form method="post" action="/office/role/mail" novalidate><?cs call:csrf_field() ?>
  <input type="hidden" name="role" value="<?cs var:Page.role.id ?>">
  <input type="hidden" name="cand" value="<?cs var:Page.cand.id ?>">
  <div class="field<?cs if:Form.to.error ?> has-error<?cs /if ?>">
    <label for="to">To</label>
    <input type="text" id="to" name="to" readonly value="<?cs var:Page.cand.name ?> &lt;<?cs var:Page.cand.email ?>&gt;"<?cs if:Form.to.error ?> aria-invalid="true" aria-describedby="to-error"<?cs /if ?>><?cs call:field_error("to") ?>
  </div>
  <?cs call:input_field("subject", "Subject", "text", "off", "200", "1", "") ?>
  <div class="field<?cs if:Form.body.error ?> has-error<?cs /if ?>">
    <label for="body">Message</label><?cs call:hint("body", "Merge fields such as {{first_name}} and {{role_title}} are filled in for them.") ?>
    <textarea<?cs call:input_attrs("body", "1") ?> rows="12" maxlength="10000" required><?cs var:Form.body.value ?></textarea><?cs call:field_error("body") ?>
  </div>
  <button type="submit">Send the mail</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
