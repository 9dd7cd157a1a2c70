<?cs include:"macros.cs" ?><?cs include:"office/forms.cs" ?><?cs set:Page.title = "Add a user" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/users">All users</a></p>
<h1>Add a user</h1>
<?cs call:error_summary() ?>
<form method="post" action="/office/users/add" novalidate>
  <?cs call:csrf_field() ?><?cs
  call:input_field("email", "Email address", "email", "off", "254", "1", "") ?><?cs
  call:input_field("name", "Name", "text", "off", "100", "", "") ?>
  <div class="field<?cs if:Form.role.error ?> has-error<?cs /if ?>">
    <label for="role">Role</label>
    <select<?cs call:input_attrs("role", "") ?> required>
      <option value="">Choose what they may do</option><?cs call:role_options("role", Form.role.value) ?>
    </select><?cs call:field_error("role") ?>
  </div><?cs
  call:password_field("password", "Password", "new-password", "", "Leave it empty and Hearth makes one, shown to you once. They can change it under My account.") ?>
  <button type="submit">Add the user</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
