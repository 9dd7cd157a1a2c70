Hello <?cs var:Mail.to_name ?>,

You asked for a copy of the data we hold about you. Open this link to
download it:

<?cs var:Mail.link ?>

The link works for one day. If you did not ask for this, ignore this email:
nobody else can use the link without access to your mailbox.
<?cs include:"mail/footer.txt.cs" ?>
