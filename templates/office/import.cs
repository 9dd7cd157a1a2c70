<?cs include:"macros.cs" ?><?cs set:Page.title = "Import candidates" ?><?cs set:Page.area = "office" ?>
<?cs def:content() ?>
<p><a href="/office/candidates">All candidates</a> · <a href="/office/jobs">Jobs</a></p>
<h1>Import candidates from a CSV file</h1>
<p class="lead">One row per person, with a header row naming the columns. Exports of OpenCATS candidates and of LinkedIn connections are recognised. Next you check which column goes where, with a preview of the first rows; nothing is imported before that.</p>
<?cs call:error_summary() ?>
<form method="post" action="/office/import" enctype="multipart/form-data"><?cs call:csrf_field() ?>
<div class="field<?cs if:Form.file.error ?> has-error<?cs /if ?>">
  <label for="file">CSV file</label><?cs call:hint("file", "Saved as CSV in UTF-8 (in Excel: CSV UTF-8), up to 256 MB, with commas, semicolons or tabs between the cells.") ?>
  <input type="file"<?cs call:input_attrs("file", "1") ?> accept=".csv,.tsv,.txt,text/csv" required><?cs call:field_error("file") ?>
</div>
<button type="submit">Upload and check the columns</button>
</form>
<?cs /def ?><?cs include:"layout.cs" ?>
