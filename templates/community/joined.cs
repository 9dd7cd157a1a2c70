<?cs include:"macros.cs" ?><?cs set:Page.title = "Check your email" ?>
<?cs def:content() ?>
<h1>Check your email</h1>
<p class="lead">We have sent you an email with a link. Please open it to confirm your address: until you do, we will not write to you about anything else.</p>
<p>The link works for 7 days. Nothing there? Look in your spam folder, or <a href="/">fill in the form again</a>.</p>
<?cs /def ?><?cs include:"layout.cs" ?>
