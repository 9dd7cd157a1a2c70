<?cs # role_edit.cs: the form of editing a role. ?><?cs set:Page.form_action = "/office/role/edit" ?><?cs include:"office/role_form.cs" ?>
