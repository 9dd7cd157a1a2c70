<?cs include:"macros.cs" ?><?cs include:"office/forms.cs" ?><?cs set:Page.title = "My account" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<h1>My account</h1><?cs if:Page.done == "password" ?>
<div class="notice" role="status"><p>Your password has been changed. Any other place where you were signed in has been signed out.</p></div><?cs /if ?>
<dl class="facts">
  <dt>Email</dt><dd><?cs var:User.email ?></dd>
  <dt>Role</dt><dd><?cs call:role_label(User.role_name) ?></dd>
</dl>
<h2>Change your password</h2>
<?cs call:error_summary() ?>
<form method="post" action="/office/account/password" novalidate>
  <?cs call:csrf_field() ?><?cs
  call:password_field("current_password", "Current password", "current-password", "1", "") ?><?cs
  call:password_field("new_password", "New password", "new-password", "1", "At least 8 characters. A few unrelated words make a strong one.") ?><?cs
  call:password_field("new_password2", "New password again", "new-password", "1", "") ?>
  <button type="submit">Change password</button>
</form>
<h2 id="signature-title">Your mail signature</h2><?cs if:Page.done == "signature" ?>
<div class="notice" role="status"><p>Your signature is saved.</p></div><?cs /if ?>
<form method="post" action="/office/account/signature" novalidate id="signature-form" aria-labelledby="signature-title">
  <?cs call:csrf_field() ?>
  <div class="field<?cs if:Form.signature.error ?> has-error<?cs /if ?>">
    <label for="signature">Signature <span class="optional">(optional)</span></label><?cs call:hint("signature", "Campaign mail to the people you own ends with it, where the mail says {{owner_signature}}. A few lines: your name, role, how to reach you.") ?>
    <textarea<?cs call:input_attrs("signature", "1") ?> rows="4" maxlength="1000"><?cs var:Form.signature.value ?></textarea><?cs call:field_error("signature") ?>
  </div>
  <button type="submit">Save the signature</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
