<?cs include:"macros.cs" ?><?cs include:"office/profile_macros.cs" ?><?cs set:Page.title = "Add a candidate" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/candidates">All candidates</a></p>
<h1>Add a candidate</h1>
<p class="lead">Someone you found yourself. They start as <em>sourced</em>; say where they came from and on what basis we hold their details.</p>
<?cs call:error_summary() ?>
<form method="post" action="/office/candidates/new" novalidate>
  <?cs call:csrf_field() ?><?cs
  call:profile_fields(1) ?>
  <button type="submit">Add the candidate</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
