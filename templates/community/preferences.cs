<?cs include:"macros.cs" ?><?cs set:Page.title = "Your preferences" ?>
<?cs def:content() ?>
<h1>Your preferences</h1><?cs
if:Page.saved ?>
<div class="notice" role="status"><p>Saved. We will use your new preferences from now on.</p></div><?cs /if ?>
<p class="lead"><?cs if:Page.name ?>Hello <?cs var:Page.name ?>. <?cs /if ?>Change what we write to you about<?cs if:Page.email ?> at <?cs var:Page.email ?><?cs /if ?>, and how often.</p><?cs
if:Page.consent == "withdrawn" ?>
<p class="notice">You have left our mailing list, so we send you nothing. To hear from us again, <a href="/">join again</a>.</p><?cs
elif:Page.consent == "pending" ?>
<p class="notice">You have not confirmed your email yet: please use the link in our first email.</p><?cs /if ?><?cs
if:Page.paused_until ?>
<p class="notice">Our emails are paused until <?cs var:Page.paused_until ?>.</p><?cs /if ?>
<?cs call:error_summary() ?>
<form id="preferences" method="post" action="/preferences" novalidate>
  <?cs call:csrf_field() ?>
  <input type="hidden" name="t" value="<?cs var:Form.t.value ?>">
  <?cs call:interests_field() ?>
  <?cs call:location_fields() ?>
  <?cs call:seniority_field() ?>
  <?cs call:skills_field() ?>
  <fieldset class="field choices" id="frequency">
    <legend>How often we write</legend>
    <div class="checkbox"><input type="radio" name="frequency" value="roles" id="frequency-roles"<?cs if:Form.frequency.value == "roles" || !Form.frequency.value ?> checked<?cs /if ?>><label for="frequency-roles">Every new role that matches what I am looking for</label></div>
    <div class="checkbox"><input type="radio" name="frequency" value="digest" id="frequency-digest"<?cs if:Form.frequency.value == "digest" ?> checked<?cs /if ?>><label for="frequency-digest">A monthly digest</label></div>
    <div class="checkbox"><input type="radio" name="frequency" value="news" id="frequency-news"<?cs if:Form.frequency.value == "news" ?> checked<?cs /if ?>><label for="frequency-news">Only important news</label></div><?cs call:field_error("frequency") ?>
  </fieldset>
  <?cs call:checkbox_field("tracking", "Let us see when you open our emails (a tiny image in each email tells us). Without it we never record opens.") ?>
  <fieldset class="field choices" id="pause">
    <legend>Pause all emails</legend>
    <div class="checkbox"><input type="radio" name="pause" value="0" id="pause-0" checked><label for="pause-0"><?cs if:Page.paused_until ?>End the pause<?cs else ?>Do not pause<?cs /if ?></label></div>
    <div class="checkbox"><input type="radio" name="pause" value="1" id="pause-1"><label for="pause-1">For 1 month</label></div>
    <div class="checkbox"><input type="radio" name="pause" value="3" id="pause-3"><label for="pause-3">For 3 months</label></div>
    <div class="checkbox"><input type="radio" name="pause" value="6" id="pause-6"><label for="pause-6">For 6 months</label></div><?cs call:field_error("pause") ?>
  </fieldset>
  <button type="submit">Save my preferences</button>
</form>
<h2>Leave or take your data</h2>
<form method="post" action="/unsubscribe">
  <?cs call:csrf_field() ?>
  <input type="hidden" name="t" value="<?cs var:Page.unsubscribe_t ?>">
  <button type="submit" class="secondary">Stop all emails (withdraw my consent)</button>
</form>
<form method="post" action="/preferences/request">
  <?cs call:csrf_field() ?>
  <input type="hidden" name="t" value="<?cs var:Form.t.value ?>">
  <input type="hidden" name="kind" value="export">
  <button type="submit" class="secondary">Send me my data</button>
</form>
<form method="post" action="/preferences/request">
  <?cs call:csrf_field() ?>
  <input type="hidden" name="t" value="<?cs var:Form.t.value ?>">
  <input type="hidden" name="kind" value="erase">
  <button type="submit" class="secondary">Erase me</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
