<?cs # forms.cs: form pieces of the back office's account pages (after macros.cs). ?>
<?cs # A password input, never filled in again; required is "1" or "". ?>
<?cs def:password_field(name, label, autocomplete, required, hint) ?>
<div class="field<?cs if:Form[name].error ?> has-error<?cs /if ?>">
  <label for="<?cs var:name ?>"><?cs var:label ?><?cs if:!required ?> <span class="optional">(optional)</span><?cs /if ?></label><?cs call:hint(name, hint) ?>
  <input type="password"<?cs call:input_attrs(name, hint) ?> autocomplete="<?cs var:autocomplete ?>" maxlength="1024"<?cs if:required ?> required<?cs /if ?>><?cs call:field_error(name) ?>
</div><?cs /def ?>

<?cs # The roles as options of a select named name. ?>
<?cs def:role_options(name, current) ?>
    <option value="admin"<?cs if:current == "admin" ?> selected<?cs /if ?>>Admin: everything, users and the audit log</option>
    <option value="recruiter"<?cs if:current == "recruiter" ?> selected<?cs /if ?>>Recruiter: all candidates</option>
    <option value="hiring_manager"<?cs if:current == "hiring_manager" ?> selected<?cs /if ?>>Hiring manager: the candidates of their roles, read-only</option><?cs /def ?>

<?cs def:role_label(role) ?><?cs if:role == "admin" ?>Admin<?cs elif:role == "recruiter" ?>Recruiter<?cs elif:role == "hiring_manager" ?>Hiring manager<?cs else ?><?cs var:role ?><?cs /if ?><?cs /def ?>
