<?cs include:"macros.cs" ?><?cs set:Page.title = "Your data" ?>
<?cs def:content() ?>
<h1>Your data</h1>
<p class="lead">Get a copy of everything we hold about you, or have it erased. We will email a link to the address you joined with, so that only you can do this.</p>
<?cs call:error_summary() ?>
<form id="data" method="post" action="/data" novalidate>
  <?cs call:csrf_field() ?>
  <?cs call:input_field("email", "Email address", "email", "email", "254", "1", "") ?>
  <fieldset class="field choices" id="kind">
    <legend>What would you like?</legend>
    <div class="checkbox"><input type="radio" name="kind" value="export" id="kind-export"<?cs if:Form.kind.value != "erase" ?> checked<?cs /if ?>><label for="kind-export">Send me my data</label></div>
    <div class="checkbox"><input type="radio" name="kind" value="erase" id="kind-erase"<?cs if:Form.kind.value == "erase" ?> checked<?cs /if ?>><label for="kind-erase">Erase me</label></div><?cs call:field_error("kind") ?>
  </fieldset>
  <button type="submit">Email me the link</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
