<?cs include:"macros.cs" ?><?cs set:Page.title = "Join our talent community" ?>
<?cs def:content() ?>
<h1>Join our talent community</h1>
<p class="lead">Hear about roles that fit you before they are advertised. It takes a minute, and you can leave whenever you like.</p>
<?cs call:error_summary() ?>
<form method="post" action="/join" novalidate>
  <?cs call:csrf_field() ?>
  <?cs call:text_field("name", "Your name", "text", "name", "200") ?>
  <?cs call:text_field("email", "Your email address", "email", "email", "254") ?>
  <div class="field checkbox<?cs if:Form.consent.error ?> has-error<?cs /if ?>">
    <input type="checkbox" value="yes"<?cs call:field_attrs("consent") ?><?cs if:Form.consent.value ?> checked<?cs /if ?>>
    <label for="consent"><?cs var:Site.ConsentPurpose ?>. I have read the <a href="<?cs var:Site.PolicyURL ?>">privacy policy</a> (version <?cs var:Site.PolicyVersion ?>) and can withdraw at any time.</label><?cs call:field_error("consent") ?>
  </div>
  <button type="submit">Join the community</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
