<?cs include:"macros.cs" ?><?cs set:Page.title = "Your data has been erased" ?>
<?cs def:content() ?>
<h1>Your data has been erased</h1>
<p class="lead">We no longer hold your details. We will not write to you again unless you join again yourself.</p>
<?cs /def ?><?cs include:"layout.cs" ?>
