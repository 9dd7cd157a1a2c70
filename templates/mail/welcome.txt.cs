Hello <?cs var:Mail.to_name ?>,

Thank you for joining the <?cs var:Site.Name ?> talent community. We will
write to you when a role fits what you are looking for.

You joined with this address: <?cs var:Mail.to ?>
If that was not you, or you change your mind, reply to this mail and we
will remove you.

The <?cs var:Site.Name ?> talent team
<?cs var:Site.BaseURL ?>
