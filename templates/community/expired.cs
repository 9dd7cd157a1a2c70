<?cs include:"macros.cs" ?><?cs set:Page.title = "This link no longer works" ?>
<?cs def:content() ?>
<h1>This link no longer works</h1><?cs
if:Page.replaced ?>
<p class="lead">We have sent you a newer email since this one. Please use the link in the latest email from us.</p><?cs
else ?>
<p class="lead">Links in our emails only work for a limited time, and this one has run out.</p><?cs
/if ?>
<p>You can <a href="/">fill in the form again</a>, and we will send you a fresh link.</p>
<?cs /def ?><?cs include:"layout.cs" ?>
