<?cs # role_new.cs: the form of a new role. ?><?cs set:Page.form_action = "/office/roles/new" ?><?cs include:"office/role_form.cs" ?>
