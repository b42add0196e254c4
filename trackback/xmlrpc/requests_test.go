package xmlrpc

// Requests shaped like the ones real clients send.

// marsEditNewPost is a metaWeblog.newPost as MarsEdit sends it: compact,
// explicit types, blogid as a string.
const marsEditNewPost = `<?xml version="1.0" encoding="UTF-8"?>
<methodCall><methodName>metaWeblog.newPost</methodName><params><param><value><string>1</string></value></param><param><value><string>admin</string></value></param><param><value><string>s3cr&amp;t</string></value></param><param><value><struct><member><name>title</name><value><string>Hello &lt;World&gt;</string></value></member><member><name>description</name><value><string>&lt;p&gt;Body &amp; more&lt;/p&gt;</string></value></member><member><name>mt_keywords</name><value><string>go, xml-rpc</string></value></member><member><name>categories</name><value><array><data><value><string>Go</string></value><value><string>Blogging</string></value></data></array></value></member><member><name>dateCreated</name><value><dateTime.iso8601>20261130T10:20:30</dateTime.iso8601></value></member><member><name>mt_allow_comments</name><value><int>1</int></value></member><member><name>mt_tb_ping_urls</name><value><array><data><value><string>http://example.org/trackback/7</string></value></data></array></value></member><member><name>wp_slug</name><value><string>hello-world</string></value></member><member><name>post_status</name><value><string>publish</string></value></member></struct></value></param><param><value><boolean>1</boolean></value></param></params></methodCall>`

// openLiveWriterNewPost is the same call as Open Live Writer (.NET) sends
// it: a byte order mark, indentation everywhere, <i4>, untyped strings.
const openLiveWriterNewPost = "\ufeff" + `<?xml version="1.0" encoding="utf-8"?>
<methodCall>
  <methodName>metaWeblog.newPost</methodName>
  <params>
    <param>
      <value>1</value>
    </param>
    <param>
      <value>
        <string>admin</string>
      </value>
    </param>
    <param>
      <value>
        <string>s3cr&amp;t</string>
      </value>
    </param>
    <param>
      <value>
        <struct>
          <member>
            <name>title</name>
            <value>
              <string>Hello &lt;World&gt;</string>
            </value>
          </member>
          <member>
            <name>description</name>
            <value><![CDATA[<p>Body & more</p>]]></value>
          </member>
          <member>
            <name>mt_keywords</name>
            <value>go, xml-rpc</value>
          </member>
          <member>
            <name>categories</name>
            <value>
              <array>
                <data>
                  <value>
                    <string>Go</string>
                  </value>
                  <value>Blogging</value>
                </data>
              </array>
            </value>
          </member>
          <member>
            <name>dateCreated</name>
            <value>
              <dateTime.iso8601>20261130T10:20:30</dateTime.iso8601>
            </value>
          </member>
          <member>
            <name>mt_allow_comments</name>
            <value>
              <i4>1</i4>
            </value>
          </member>
          <member>
            <name>mt_tb_ping_urls</name>
            <value>
              <array>
                <data>
                  <value>
                    <string>http://example.org/trackback/7</string>
                  </value>
                </data>
              </array>
            </value>
          </member>
          <member>
            <name>wp_slug</name>
            <value>
              <string>hello-world</string>
            </value>
          </member>
          <member>
            <name>post_status</name>
            <value>
              <string>publish</string>
            </value>
          </member>
        </struct>
      </value>
    </param>
    <param>
      <value>
        <boolean>1</boolean>
      </value>
    </param>
  </params>
</methodCall>
`

// newMediaObject uploads a file; the base64 is wrapped at 76 columns with
// CRLF line breaks, as MIME encoders do.
const newMediaObject = `<?xml version="1.0"?>
<methodCall>
<methodName>metaWeblog.newMediaObject</methodName>
<params>
<param><value><string>1</string></value></param>
<param><value><string>admin</string></value></param>
<param><value><string>secret</string></value></param>
<param><value><struct>
<member><name>name</name><value><string>photo.png</string></value></member>
<member><name>type</name><value><string>image/png</string></value></member>
<member><name>bits</name><value><base64>
VGhlIHF1aWNrIGJyb3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZy4gVGhlIHF1aWNrIGJy&#xD;
b3duIGZveCBqdW1wcyBvdmVyIHRoZSBsYXp5IGRvZy4=&#xD;
</base64></value></member>
<member><name>overwrite</name><value><boolean>0</boolean></value></member>
</struct></value></param>
</params>
</methodCall>
`

// pingbackPing is a Pingback call as WordPress sends it.
const pingbackPing = `<?xml version="1.0"?>
<methodCall>
<methodName>pingback.ping</methodName>
<params>
<param><value><string>http://source.example/post/1</string></value></param>
<param><value><string>http://target.example/2026/11/hello-world/</string></value></param>
</params></methodCall>
`

// wpGetPosts has a filter struct, an array of field names, and ints sent
// both as <int> and as untyped text.
const wpGetPosts = `<?xml version="1.0" encoding="UTF-8"?>
<methodCall><methodName>wp.getPosts</methodName><params>
<param><value><int>1</int></value></param>
<param><value>admin</value></param>
<param><value>secret</value></param>
<param><value><struct><member><name>number</name><value><int>20</int></value></member><member><name>post_type</name><value>post</value></member><member><name>custom_fields</name><value><array><data><value><struct><member><name>key</name><value><string>mood</string></value></member><member><name>value</name><value><string>happy</string></value></member></struct></value><value><struct><member><name>key</name><value></value></member><member><name>value</name><value><string></string></value></member></struct></value></data></array></value></member></struct></value></param>
<param><value><array><data><value><string>post_title</string></value><value><string>post_date</string></value></data></array></value></param>
</params></methodCall>`

// listMethods has no <params> element at all.
const listMethods = `<?xml version="1.0"?><methodCall><methodName>system.listMethods</methodName></methodCall>`
