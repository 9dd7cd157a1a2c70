<?cs # macros.cs: form pieces shared by every page. Values are escaped by
     the html VarEscapeMode; errors are tied to their inputs for screen readers. ?>
<?cs def:error_summary() ?><?cs if:Form.error_count ?>
<div class="error-summary" role="alert" aria-labelledby="error-summary-title">
  <h2 id="error-summary-title">Please check <?cs if:Form.error_count == 1 ?>one thing<?cs else ?><?cs var:Form.error_count ?> things<?cs /if ?> below</h2>
  <ul><?cs each:e = Form.errors ?>
    <li><a href="#<?cs var:e.field ?>"><?cs var:e.message ?></a></li><?cs /each ?>
  </ul>
</div><?cs /if ?><?cs /def ?>

<?cs def:field_attrs(name) ?> id="<?cs var:name ?>" name="<?cs var:name ?>"<?cs
  if:Form[name].error ?> aria-invalid="true" aria-describedby="<?cs var:name ?>-error"<?cs /if ?><?cs
  if:Form.errors.0.field == name ?> autofocus<?cs /if ?><?cs /def ?>

<?cs def:field_error(name) ?><?cs if:Form[name].error ?>
  <p class="field-error" id="<?cs var:name ?>-error"><?cs var:Form[name].error ?></p><?cs /if ?><?cs /def ?>

<?cs def:text_field(name, label, type, autocomplete, maxlength) ?>
<div class="field<?cs if:Form[name].error ?> has-error<?cs /if ?>">
  <label for="<?cs var:name ?>"><?cs var:label ?></label>
  <input type="<?cs var:type ?>"<?cs call:field_attrs(name) ?> autocomplete="<?cs var:autocomplete ?>" maxlength="<?cs var:maxlength ?>" required value="<?cs var:Form[name].value ?>"><?cs call:field_error(name) ?>
</div><?cs /def ?>

<?cs def:csrf_field() ?><input type="hidden" name="csrf_token" value="<?cs var:CSRF.token ?>"><?cs /def ?>
